using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UserServices.Api.Passkeys;

/// <summary>
/// The end of a registration: the <c>ceremony_id</c> of <c>POST /user/passkeys/options</c>, the
/// <c>PublicKeyCredential</c> <c>navigator.credentials.create</c> gave, as JSON (its <c>toJSON()</c>), and a name for
/// the passkey (optional; default <c>Passkey</c>).
/// </summary>
public sealed record PasskeyRegistrationRequest(
    [property: JsonPropertyName("ceremony_id")] string? CeremonyId,
    [property: JsonPropertyName("credential")] JsonElement? Credential,
    [property: JsonPropertyName("name")] string? Name)
{
    // A record prints every member, and MVC logs action arguments at Trace: the ceremony id and credential stay out.
#pragma warning disable CA1822 // The compiler looks for exactly this instance signature.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CeremonyId = (redacted), Credential = (redacted), Name = ").Append(Name);
        return true;
    }
#pragma warning restore CA1822
}
