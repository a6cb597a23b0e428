using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Tokens;

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
