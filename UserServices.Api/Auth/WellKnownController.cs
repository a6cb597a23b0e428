using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Auth;

public sealed record JsonWebKeySetDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublishedKey> Keys);

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

public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("grant_types_supported")] string[] GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] string[] TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] string[] RevocationEndpointAuthMethodsSupported,
    [property: JsonPropertyName("response_types_supported")] string[] ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] string[] SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] string[] IdTokenSigningAlgValuesSupported,
    [property: JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] string[] SigningAlgValuesSupported);

/// <summary>What other services need to verify our tokens themselves: the public keys and where things are.</summary>
[ApiController]
[Route(".well-known")]
[Tags("Well-known")]
public sealed class WellKnownController(SigningKeys keys, IOptions<JwtOptions> jwt) : ControllerBase
{
    /// <summary>The public keys tokens are signed with (JWKS). Empty with HS256: a shared secret is never published.</summary>
    [HttpGet("jwks.json")]
    [ResponseCache(Duration = 300, Location = ResponseCacheLocation.Client)]
    [ProducesResponseType<JsonWebKeySetDocument>(StatusCodes.Status200OK, "application/json")]
    public JsonWebKeySetDocument Jwks() => new([.. keys.PublicKeys.Select(PublishedKey.From)]);

    /// <summary>OpenID-style discovery metadata, so a JwtBearer <c>Authority</c> can be pointed at this service.</summary>
    [HttpGet("openid-configuration")]
    [ResponseCache(Duration = 300, Location = ResponseCacheLocation.Client)]
    [ProducesResponseType<DiscoveryDocument>(StatusCodes.Status200OK, "application/json")]
    public DiscoveryDocument Discovery()
    {
        // Behind a proxy the public address comes from Jwt:PublicBaseUrl; the Host header is the client's to choose.
        var root = jwt.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
        return new DiscoveryDocument(
            jwt.Value.Issuer,
            $"{root}/user/token",
            $"{root}/.well-known/jwks.json",
            $"{root}/user/revoke",
            ["password", "refresh_token"],
            ["none"],
            ["none"],
            ["token"],
            ["public"],
            [keys.Algorithm],
            [keys.Algorithm]);
    }
}
