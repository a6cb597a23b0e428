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
    UserNameThrottle throttle,
    PasswordCheckGate gate) : ControllerBase
{
    public const int MaxUserNameLength = 256;
    public const int MaxPasswordLength = 1024;

    /// <summary>Exchange a username and password for a bearer token.</summary>
    /// <remarks>The OAuth2 password grant. A wrong username or password answers 401 with <c>error: invalid_grant</c>.</remarks>
    [HttpPost("token")]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> IssueToken([FromForm] TokenRequest request, CancellationToken cancellationToken)
    {
        if (request.GrantType is not null && request.GrantType != "password")
        {
            return this.OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type",
                $"grant_type '{request.GrantType}' is not supported; use 'password'.");
        }

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

        using var slot = await gate.EnterAsync(cancellationToken);
        if (!slot.IsAcquired)
        {
            return this.Busy();
        }

        var user = await credentials.FindAccountAsync(request.Username!, request.Password!);
        if (user is null)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            return this.OAuthError(StatusCodes.Status401Unauthorized, "invalid_grant", "Incorrect username or password");
        }

        var token = issuer.Issue(user, await users.GetRolesAsync(user));
        // RFC 6749 §5.1: token responses must not be cached.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        return Ok(new TokenResponse(token.AccessToken, "bearer", token.ExpiresInSeconds));
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
