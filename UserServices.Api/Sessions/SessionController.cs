using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Audit;
using UserServices.Api.Clients;
using UserServices.Api.Hosting;
using UserServices.Api.RateLimits;

namespace UserServices.Api.Sessions;

[ApiController]
[Route("user")]
[Tags("Auth")]
public sealed class SessionController(RefreshTokenStore refreshTokens, SessionStore sessions, ClientAuthentication clients, AuditLog audit) : ControllerBase
{
    public const string TokenRequiredDetail = "The 'token' field is required.";

    /// <summary>Revoke a refresh token (RFC 7009) and every token rotated from the same sign-in.</summary>
    /// <remarks>
    /// Always 200, also for unknown tokens, so the answer tells nothing about the token. When clients are registered,
    /// a public client names itself with <c>client_id</c>, a confidential one authenticates (HTTP Basic or the form),
    /// and only the client's own tokens are revoked.
    /// </remarks>
    [HttpPost("revoke")]
    [EnableRateLimiting(AuthRateLimiting.TokenPolicy)]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The `token` field is missing (`error: invalid_request`).",
        OAuthError = "invalid_request", ExampleDetail = TokenRequiredDetail)]
    [ErrorResponse(StatusCodes.Status401Unauthorized,
        "Only with registered clients: the client is unknown or disabled, or its secret or client assertion is wrong or missing (`error: invalid_client`).",
        OAuthError = "invalid_client", ExampleDetail = ClientAuthentication.UnknownClientDetail)]
    public async Task<IActionResult> Revoke([FromForm] RevocationRequest request, CancellationToken cancellationToken)
    {
        var authentication = await clients.AuthenticateAsync(Request, request, cancellationToken);
        if (authentication.Client is not { } client)
        {
            return authentication.Refusal(Response);
        }

        if (string.IsNullOrEmpty(request.Token))
        {
            return ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request", TokenRequiredDetail).ToResult();
        }

        // A longer value cannot be one of ours; it is not worth hashing.
        if (request.Token.Length <= RefreshTokenStore.MaxTokenLength)
        {
            await refreshTokens.RevokeAsync(request.Token, client.Registration is null ? null : client.ClientId, cancellationToken);
        }

        return Ok();
    }

    /// <summary>End the caller's sign-in: its refresh token and every access token of it stop working at once.</summary>
    [HttpPost("logout")]
    [Authorize]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken)
    {
        if (Guid.TryParseExact(User.FindFirst(SessionBinding.SessionIdClaim)?.Value, "N", out var familyId))
        {
            await sessions.EndAsync(familyId, User.UserId(), SessionEndCause.Logout, cancellationToken);
            await audit.WriteNowAsync(AuditActions.Logout, User.UserId(), User.Identity?.Name, $"session {familyId:N}");
        }

        return NoContent();
    }
}
