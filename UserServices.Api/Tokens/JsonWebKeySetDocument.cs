using System.Text.Json.Serialization;

namespace UserServices.Api.Tokens;

/// <summary>RFC 7517 §5: the public keys, as <c>/.well-known/jwks.json</c> serves them.</summary>
public sealed record JsonWebKeySetDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublishedKey> Keys);
