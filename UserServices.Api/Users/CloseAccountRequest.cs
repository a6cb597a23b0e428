using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Users;

public sealed record CloseAccountRequest([property: JsonPropertyName("password")] string? Password)
{
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Password = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
