using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Sessions;
using UserServices.Data.Users;

namespace UserServices.Api.Tokens;

[ApiController]
[Route("user")]
[Tags("Auth")]
[EnableRateLimiting(AuthRateLimiting.TokenPolicy)]
[RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
public sealed class TokenController(
    CredentialCheck credentials,
    UserManager<User> users,
    TokenIssuer issuer,
    RefreshTokenStore refreshTokens,
    UserNameThrottle throttle) : ControllerBase
{
    public const int MaxUserNameLength = 256;

    /// <summary>The original's text, which its clients may show or match.</summary>
    public const string IncorrectCredentials = "Incorrect username or password";

    /// <summary>Get a bearer token: with a username and password, or with a refresh token.</summary>
    /// <remarks>
    /// OAuth2 password grant (<c>grant_type</c> optional) or refresh grant (<c>grant_type=refresh_token</c>; the refresh
    /// token is rotated on every use). A wrong username or password answers 401 with <c>error: invalid_grant</c>;
    /// a bad refresh token 400 <c>invalid_grant</c>.
    /// </remarks>
    [HttpPost("token")]
    [RunsBcrypt]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "A field is missing or too long (`error: invalid_request`), `grant_type` is neither `password` nor `refresh_token` " +
        "(`error: unsupported_grant_type`), or the refresh token is unknown, used, revoked or expired (`error: invalid_grant`).",
        OAuthError = "invalid_request", ExampleDetail = "The 'password' field is required.")]
    [ErrorResponse(StatusCodes.Status401Unauthorized,
        "Wrong username or password, or the account is locked out; the answer does not say which (`error: invalid_grant`).",
        OAuthError = "invalid_grant", ExampleDetail = IncorrectCredentials)]
    public async Task<IActionResult> IssueToken([FromForm] TokenRequest request, CancellationToken cancellationToken) => request.GrantType switch
    {
        null or "password" => await PasswordGrantAsync(request, cancellationToken),
        "refresh_token" => await RefreshGrantAsync(request, cancellationToken),
        _ => OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type",
            $"grant_type '{request.GrantType}' is not supported; use 'password' or 'refresh_token'."),
    };

    private async Task<IActionResult> PasswordGrantAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (FirstProblem(request) is { } problem)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", problem);
        }

        using var perUser = throttle.Acquire(request.Username!);
        if (!perUser.IsAcquired)
        {
            return AuthRateLimiting.TooManyRequests(perUser);
        }

        switch (await credentials.CheckAsync(request.Username!, request.Password!))
        {
            case CredentialOutcome.Verified(var user):
                return await TokensAsync(user, await refreshTokens.IssueAsync(user, cancellationToken));
            case CredentialOutcome.Busy:
                return ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter);
            default:
                Response.Headers.WWWAuthenticate = "Bearer";
                return OAuthError(StatusCodes.Status401Unauthorized, "invalid_grant", IncorrectCredentials);
        }
    }

    private async Task<IActionResult> RefreshGrantAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The 'refresh_token' field is required.");
        }

        if (request.RefreshToken.Length > RefreshTokenStore.MaxTokenLength)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", "The refresh token is unknown.");
        }

        return await refreshTokens.RotateAsync(request.RefreshToken, cancellationToken) switch
        {
            RefreshOutcome.Rotated(var user, var next) => await TokensAsync(user, next),
            RefreshOutcome.Refused(var reason) => OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", reason),
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

    private static IActionResult OAuthError(int status, string error, string detail) => ProblemResponses.OAuth(status, error, detail).ToResult();

    private static string? FirstProblem(TokenRequest request) => request switch
    {
        { Username: null or "" } => "The 'username' field is required.",
        { Password: null or "" } => "The 'password' field is required.",
        { Username.Length: > MaxUserNameLength } => $"The 'username' field must be at most {MaxUserNameLength} characters.",
        { Password.Length: > PasswordLimits.MaxFieldLength } => $"The 'password' field must be at most {PasswordLimits.MaxFieldLength} characters.",
        _ => null,
    };
}
