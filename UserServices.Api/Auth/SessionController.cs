using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Security;

namespace UserServices.Api.Auth;

/// <summary>RFC 7009 token revocation form.</summary>
public sealed class RevocationRequest
{
    [FromForm(Name = "token")]
    public string? Token { get; set; }

    /// <summary>Accepted and ignored: only refresh tokens are stateful, so only they can be revoked.</summary>
    [FromForm(Name = "token_type_hint")]
    public string? TokenTypeHint { get; set; }
}

[ApiController]
[Route("user")]
[Tags("Auth")]
public sealed class SessionController(RefreshTokenStore refreshTokens) : ControllerBase
{
    /// <summary>Revoke a refresh token (RFC 7009) and every token rotated from the same sign-in.</summary>
    /// <remarks>Always 200, also for unknown tokens, so the answer tells nothing about the token.</remarks>
    [HttpPost("revoke")]
    [EnableRateLimiting(AuthRateLimiting.TokenPolicy)]
    [RequestBodyLimit(16 * 1024)]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Revoke([FromForm] RevocationRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return Errors.ErrorResponses.OAuthError(this, StatusCodes.Status400BadRequest, "invalid_request", "The 'token' field is required.");
        }

        if (request.Token.Length <= 1024)
        {
            await refreshTokens.RevokeAsync(request.Token, cancellationToken);
        }

        return Ok();
    }

    /// <summary>End the caller's sign-in: the refresh token issued with this access token stops working.</summary>
    /// <remarks>The access token itself lives until it expires (at most its lifetime); change the password to end it at once.</remarks>
    [HttpPost("logout")]
    [Authorize]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken)
    {
        if (Guid.TryParseExact(User.FindFirst(AccessTokenClaims.SessionId)?.Value, "N", out var familyId))
        {
            await refreshTokens.RevokeFamilyAsync(familyId, cancellationToken);
        }

        return NoContent();
    }
}
