using System.Text.Json.Serialization;

namespace UserServices.Api.Passkeys;

/// <summary>The body of <c>201</c> from <c>POST /user/passkeys</c>: the new passkey's id, name and creation time (UTC).</summary>
public sealed record PasskeyCreated(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt);
