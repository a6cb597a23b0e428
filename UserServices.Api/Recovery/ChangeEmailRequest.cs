using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Recovery;

public sealed record ChangeEmailRequest(
    [property: JsonPropertyName("new_email")] string? NewEmail,
    [property: JsonPropertyName("password")] string? Password)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"NewEmail = {NewEmail}, Password = (redacted)");
        return true;
    }
}
