using System.Text.Json;
using System.Text.Json.Serialization;

namespace UserServices.Api.Passkeys;

/// <summary>
/// A ceremony begun: the one-time id to send back with the result, and the WebAuthn options (WebAuthn §5.4
/// <c>PublicKeyCredentialCreationOptionsJSON</c> or §5.5 <c>PublicKeyCredentialRequestOptionsJSON</c>) to pass to
/// <c>PublicKeyCredential.parseCreationOptionsFromJSON</c>/<c>parseRequestOptionsFromJSON</c> and then
/// <c>navigator.credentials.create</c>/<c>get</c>, or to a platform's passkey API.
/// </summary>
public sealed record PasskeyCeremonyResponse(
    [property: JsonPropertyName("ceremony_id")] string CeremonyId,
    [property: JsonPropertyName("options")] JsonElement Options);
