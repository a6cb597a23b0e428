using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

public sealed record SetPasswordRequest([property: JsonPropertyName("new_password")] string? NewPassword)
{
    // A record prints every member, and MVC logs action arguments at Trace: the password may not be one of them.
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("NewPassword = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
