using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Users;

public sealed record ChangePasswordRequest(
    [property: JsonPropertyName("current_password")] string? CurrentPassword,
    [property: JsonPropertyName("new_password")] string? NewPassword)
{
    // A record prints every member, and MVC logs action arguments at Trace: neither password may be one of them.
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CurrentPassword = (redacted), NewPassword = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
