using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Tokens;

/// <summary>What other services need to verify our tokens themselves: the public keys and where things are.</summary>
[ApiController]
[Route(".well-known")]
[Tags("Well-known")]
public sealed class WellKnownController(SigningKeys keys, ServerMetadata metadata) : ControllerBase
{
    /// <summary>The public keys tokens are signed with (JWKS). Empty with HS256: a shared secret is never published.</summary>
    [HttpGet("jwks.json")]
    [ResponseCache(Duration = 300, Location = ResponseCacheLocation.Client)]
    [ProducesResponseType<JsonWebKeySetDocument>(StatusCodes.Status200OK, "application/json")]
    public JsonWebKeySetDocument Jwks() => new([.. keys.PublicKeys.Select(PublishedKey.From)]);

    /// <summary>Authorization server metadata (RFC 8414): the issuer, the endpoints and what they accept.</summary>
    [HttpGet("oauth-authorization-server")]
    [ResponseCache(Duration = 300, Location = ResponseCacheLocation.Client)]
    [ProducesResponseType<DiscoveryDocument>(StatusCodes.Status200OK, "application/json")]
    public DiscoveryDocument AuthorizationServer() => metadata.For(metadata.RootOf(Request));

    /// <summary>
    /// The same metadata at the OpenID discovery address, where JwtBearer's <c>Authority</c> and most OAuth2 libraries
    /// look. The service issues no ID tokens, so it lists nothing about them.
    /// </summary>
    [HttpGet("openid-configuration")]
    [ResponseCache(Duration = 300, Location = ResponseCacheLocation.Client)]
    [ProducesResponseType<DiscoveryDocument>(StatusCodes.Status200OK, "application/json")]
    public DiscoveryDocument Discovery() => metadata.For(metadata.RootOf(Request));
}
