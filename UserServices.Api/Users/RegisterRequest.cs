using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Users;

public sealed record RegisterRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("password")] string? Password)
{
    // A record prints every member, and MVC logs action arguments at Trace: the password must not be one of them.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"Username = {Username}, Email = {Email}, Password = (redacted)");
        return true;
    }
}
