using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Errors;
using UserServices.Api.Security;
using UserServices.Data.Users;

namespace UserServices.Api.Auth;

[ApiController]
[Route("user")]
[Tags("Auth")]
[EnableRateLimiting(AuthRateLimiting.TokenPolicy)]
[RequestBodyLimit(16 * 1024)]
public sealed class TokenController(
    CredentialCheck credentials,
    UserManager<User> users,
    TokenIssuer issuer,
    RefreshTokenStore refreshTokens,
    UserNameThrottle throttle,
    PasswordCheckGate gate) : ControllerBase
{
    public const int MaxUserNameLength = 256;
    public const int MaxPasswordLength = 1024;

    /// <summary>Get a bearer token: with a username and password, or with a refresh token.</summary>
    /// <remarks>
    /// OAuth2 password grant (<c>grant_type</c> optional) or refresh grant (<c>grant_type=refresh_token</c>; the refresh
    /// token is rotated on every use). A wrong username or password answers 401 with <c>error: invalid_grant</c>;
    /// a bad refresh token 400 <c>invalid_grant</c>.
    /// </remarks>
    [HttpPost("token")]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> IssueToken([FromForm] TokenRequest request, CancellationToken cancellationToken) => request.GrantType switch
    {
        null or "password" => await PasswordGrantAsync(request, cancellationToken),
        "refresh_token" => await RefreshGrantAsync(request, cancellationToken),
        _ => this.OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type",
            $"grant_type '{request.GrantType}' is not supported; use 'password' or 'refresh_token'."),
    };

    private async Task<IActionResult> PasswordGrantAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (FirstProblem(request) is { } problem)
        {
            return this.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", problem);
        }

        using var perUser = throttle.Acquire(request.Username!);
        if (!perUser.IsAcquired)
        {
            await AuthRateLimiting.TooManyRequests(HttpContext, perUser, cancellationToken);
            return new EmptyResult();
        }

        User? user;
        using (var slot = await gate.EnterAsync(cancellationToken))
        {
            if (!slot.IsAcquired)
            {
                return this.Busy();
            }

            user = await credentials.FindAccountAsync(request.Username!, request.Password!);
        }

        if (user is null)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            return this.OAuthError(StatusCodes.Status401Unauthorized, "invalid_grant", "Incorrect username or password");
        }

        return await TokensAsync(user, await refreshTokens.IssueAsync(user, cancellationToken));
    }

    private async Task<IActionResult> RefreshGrantAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return this.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The 'refresh_token' field is required.");
        }

        if (request.RefreshToken.Length > MaxPasswordLength)
        {
            return this.OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", "The refresh token is unknown.");
        }

        return await refreshTokens.RotateAsync(request.RefreshToken, cancellationToken) switch
        {
            RefreshOutcome.Rotated(var user, var next) => await TokensAsync(user, next),
            RefreshOutcome.Refused(var reason) => this.OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", reason),
            var other => throw new InvalidOperationException($"Unhandled refresh outcome {other}."),
        };
    }

    private async Task<IActionResult> TokensAsync(User user, IssuedRefreshToken refresh)
    {
        var token = issuer.Issue(user, await users.GetRolesAsync(user), refresh.FamilyId);
        // RFC 6749 §5.1: token responses must not be cached.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        return Ok(new TokenResponse(token.AccessToken, "bearer", token.ExpiresInSeconds, refresh.Token));
    }

    private static string? FirstProblem(TokenRequest request) => request switch
    {
        { Username: null or "" } => "The 'username' field is required.",
        { Password: null or "" } => "The 'password' field is required.",
        { Username.Length: > MaxUserNameLength } => $"The 'username' field must be at most {MaxUserNameLength} characters.",
        { Password.Length: > MaxPasswordLength } => $"The 'password' field must be at most {MaxPasswordLength} characters.",
        _ => null,
    };
}
