using System.Text;
using System.Text.Json.Serialization;

namespace UserServices.Api.Recovery;

public sealed record ConfirmEmailRequest([property: JsonPropertyName("token")] string? Token)
{
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = (redacted)");
        return true;
    }
#pragma warning restore CA1822
}
