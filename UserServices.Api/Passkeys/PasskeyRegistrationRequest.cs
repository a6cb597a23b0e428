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
    [property: JsonPropertyName("name")] string? Name);
