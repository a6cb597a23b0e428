using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Recovery;

public sealed record ResetPasswordRequest(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("new_password")] string? NewPassword)
{
    // A record prints every member, and MVC logs action arguments at Trace: neither the token nor the password may be one.
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = (redacted), NewPassword = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
