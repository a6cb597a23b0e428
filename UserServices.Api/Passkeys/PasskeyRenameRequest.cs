using System.Text.Json.Serialization;

namespace UserServices.Api.Passkeys;

/// <summary>The body of <c>PATCH /user/passkeys/{id}</c>: the passkey's new name.</summary>
public sealed record PasskeyRenameRequest([property: JsonPropertyName("name")] string? Name);
