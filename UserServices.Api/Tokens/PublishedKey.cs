using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Tokens;

/// <summary>A public key as RFC 7517 spells it: only the members that apply to its type.</summary>
public sealed record PublishedKey(
    [property: JsonPropertyName("kty")] string KeyType,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Modulus,
    [property: JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Exponent,
    [property: JsonPropertyName("crv"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Curve,
    [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X,
    [property: JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y)
{
    public static PublishedKey From(JsonWebKey key) => new(key.Kty, key.Use, key.Alg, key.Kid, key.N, key.E, key.Crv, key.X, key.Y);
}
