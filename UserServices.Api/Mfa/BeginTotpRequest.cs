using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Mfa;

public sealed record BeginTotpRequest([property: JsonPropertyName("password")] string? Password)
{
    // A record prints every member, and MVC logs action arguments at Trace: a secret may not be one of them.
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Password = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
