using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Clients;
using UserServices.Api.Hosting;
using UserServices.Api.Sessions;

namespace UserServices.Api.Tokens;

/// <summary>RFC 7662: lets a resource server ask whether a token still counts, which a signature alone cannot say.</summary>
[ApiController]
[Route("user")]
[Tags("Auth")]
public sealed class IntrospectionController(ClientAuthentication clients, TokenIntrospection introspection) : ControllerBase
{
    /// <summary>Is this access or refresh token live? For registered confidential clients (resource servers).</summary>
    /// <remarks>
    /// The client authenticates with HTTP Basic, <c>client_id</c>/<c>client_secret</c> in the form, or a client
    /// assertion (<c>private_key_jwt</c>). The answer is <c>{"active": true, ...}</c> with the token's claims for a live
    /// token, and <c>{"active": false}</c> for anything else: unknown, malformed, expired, revoked, signed out, an access
    /// token whose account has since been locked, deleted or changed its password, or a client's own token
    /// (client credentials) whose client has since been removed or disabled.
    /// </remarks>
    [HttpPost("introspect")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType<IntrospectionResponse>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The `token` field is missing (`error: invalid_request`).",
        OAuthError = "invalid_request", ExampleDetail = SessionController.TokenRequiredDetail)]
    [ErrorResponse(StatusCodes.Status401Unauthorized,
        "The caller is not a registered, enabled confidential client, or its secret or client assertion is wrong (`error: invalid_client`).",
        OAuthError = "invalid_client", ExampleDetail = ClientAuthentication.ConfidentialOnlyDetail)]
    public async Task<IActionResult> Introspect([FromForm] IntrospectionRequest request, CancellationToken cancellationToken)
    {
        var authentication = await clients.AuthenticateConfidentialAsync(Request, request, cancellationToken);
        if (authentication.Client is null)
        {
            return authentication.Refusal(Response);
        }

        if (string.IsNullOrEmpty(request.Token))
        {
            return ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request", SessionController.TokenRequiredDetail).ToResult();
        }

        // The answer names the account; a cache along the way must not keep it.
        Response.Headers.CacheControl = "no-store";
        return Ok(await introspection.InspectAsync(request.Token, cancellationToken));
    }
}
