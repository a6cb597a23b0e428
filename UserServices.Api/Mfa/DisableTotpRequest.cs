using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Mfa;

public sealed record DisableTotpRequest(
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("code")] string? Code)
{
    // A record prints every member, and MVC logs action arguments at Trace: neither may be one of them.
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Password = (redacted), Code = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
