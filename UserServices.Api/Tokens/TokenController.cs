using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Clients;
using UserServices.Api.Hosting;
using UserServices.Api.Mfa;
using UserServices.Api.Monitoring;
using UserServices.Api.Passkeys;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
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
    UserNameThrottle throttle,
    ClientAuthentication clients,
    ClientCredentialsGrant clientCredentials,
    MfaGrant mfa,
    PasskeySignIn passkeys,
    ServiceMetrics metrics,
    AuditLog audit,
    IOptions<JwtOptions> jwt,
    IOptions<AccountOptions> accounts) : ControllerBase
{
    public const int MaxUserNameLength = 256;

    /// <summary>The original's text, which its clients may show or match.</summary>
    public const string IncorrectCredentials = "Incorrect username or password";

    /// <summary>Get a bearer token: with a username and password, with a refresh token, or for a client itself.</summary>
    /// <remarks>
    /// OAuth2 password grant (<c>grant_type</c> optional) or refresh grant (<c>grant_type=refresh_token</c>; the refresh
    /// token is rotated on every use). A wrong username or password answers 401 with <c>error: invalid_grant</c>;
    /// a bad refresh token 400 <c>invalid_grant</c>. When clients are registered, the client authenticates with HTTP
    /// Basic or <c>client_id</c>/<c>client_secret</c> in the form, or with a signed <c>client_assertion</c>
    /// (<c>private_key_jwt</c>; public clients send <c>client_id</c> alone), and <c>scope</c> is narrowed to the
    /// client's allowed scopes. <c>grant_type=client_credentials</c> gives a registered confidential client that lists
    /// it in <c>AllowedGrants</c> a token for itself (RFC 6749 §4.4, RFC 9068): <c>sub</c> = <c>client_id</c>, its
    /// audiences (or the one <c>resource</c> named, RFC 8707), no refresh token. An account with two-factor sign-in on
    /// needs a code: <c>otp</c> (or <c>totp</c>) with the password, or else the answer is 403 <c>mfa_required</c> with an
    /// <c>mfa_token</c>, which <c>grant_type=http://auth0.com/oauth/grant-type/mfa-otp</c> (with <c>otp</c>) or
    /// <c>…/mfa-recovery-code</c> (with <c>recovery_code</c>; the answer adds <c>recovery_codes_left</c>) completes
    /// within 5 minutes, once, from the same client. Wrong codes count towards lockout.
    /// <c>grant_type=urn:userservices:params:oauth:grant-type:passkey</c> with <c>ceremony_id</c> (from
    /// <c>POST /user/passkeys/login/options</c>) and <c>credential</c> (the assertion as JSON) signs in with a passkey.
    /// </remarks>
    [HttpPost("token")]
    [RunsBcrypt]
    [CountedAsLogin]
    [Consumes("application/x-www-form-urlencoded")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "A field is missing or too long (`error: invalid_request`), `grant_type` is not `password`, `refresh_token` or " +
        "`client_credentials`, one of the two MFA steps, or the passkey grant (which needs passkeys on) (`error: unsupported_grant_type`), the client may not use this grant (`error: unauthorized_client`), " +
        "the refresh token is unknown, used, revoked, expired or another client's, or the passkey sign-in was refused (`error: invalid_grant`), " +
        "or `resource` is not one of the client's audiences (`error: invalid_target`); the one-time or recovery code is wrong or used, " +
        "or the `mfa_token` is unknown, expired, spent, killed by five wrong codes or another client's (`error: invalid_grant`).",
        OAuthError = "invalid_request", ExampleDetail = "The 'password' field is required.")]
    [ErrorResponse(StatusCodes.Status401Unauthorized,
        "Wrong username or password, or the account is locked out; the answer does not say which (`error: invalid_grant`). " +
        "With registered clients also: the client is unknown or disabled, its secret is wrong or missing, or its client " +
        "assertion is invalid (signature, `iss`/`sub`, `aud`, `exp`) or was used already (`error: invalid_client`, " +
        "`WWW-Authenticate: Basic`).",
        OAuthError = "invalid_grant", ExampleDetail = IncorrectCredentials)]
    [ErrorResponse(StatusCodes.Status403Forbidden,
        "`Accounts:RequireConfirmedEmail` is on and the password (or passkey) is right, but the account's email is not confirmed (`error: email_not_confirmed`); " +
        "or the password is right, the account has two-factor sign-in on and no code came (`error: mfa_required`, with `mfa_token`).",
        OAuthError = "email_not_confirmed", ExampleDetail = ProblemResponses.EmailNotConfirmedDetail)]
    public async Task<IActionResult> IssueToken([FromForm] TokenRequest request, CancellationToken cancellationToken)
    {
        var grant = request.GrantType ?? GrantTypes.Password;
        if (!GrantTypes.All.Contains(grant))
        {
            return OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type",
                $"grant_type '{request.GrantType}' is not supported; use 'password', 'refresh_token', 'client_credentials', an MFA grant or the passkey grant.");
        }

        // Before any password work: an unknown client costs no bcrypt.
        var authentication = await clients.AuthenticateAsync(Request, request, cancellationToken);
        if (authentication.Client is not { } client)
        {
            return authentication.Refusal(Response);
        }

        if (!client.MayUse(grant))
        {
            return OAuthError(StatusCodes.Status400BadRequest, "unauthorized_client", $"This client may not use grant_type '{grant}'.");
        }

        return grant switch
        {
            GrantTypes.Password => await PasswordGrantAsync(request, client, cancellationToken),
            GrantTypes.RefreshToken => await RefreshGrantAsync(request, client, cancellationToken),
            GrantTypes.Passkey => await PasskeyGrantAsync(request, client, cancellationToken),
            GrantTypes.MfaOtp or GrantTypes.MfaRecoveryCode => await MfaAnswerAsync(await mfa.SecondStepAsync(grant, request.MfaToken,
                grant == GrantTypes.MfaOtp ? request.Otp : request.RecoveryCode, ClientIdOf(client), client.GrantScopes(request.Scope), RequestOrigin.Of(HttpContext), cancellationToken)),
            // MayUse is true only for a registered client that lists the grant.
            _ => await ClientCredentialsGrantAsync(request, client.Registration!, cancellationToken),
        };
    }

    private async Task<IActionResult> ClientCredentialsGrantAsync(TokenRequest request, RegisteredClient client, CancellationToken cancellationToken) =>
        await clientCredentials.IssueAsync(client, request.Scope, request.Resource, cancellationToken) switch
        {
            ClientCredentialsOutcome.Issued(var token, var scope) => NoStore(new TokenResponse(token.AccessToken, "bearer", token.ExpiresInSeconds, null) { Scope = scope }),
            ClientCredentialsOutcome.InvalidTarget(var detail) => OAuthError(StatusCodes.Status400BadRequest, "invalid_target", detail),
            ClientCredentialsOutcome.RateLimited(var retryAfter) => ProblemResponses.TooManyRequests().ToResult(retryAfter),
            var other => throw new InvalidOperationException($"Unhandled client-credentials outcome {other}."),
        };

    private async Task<IActionResult> PasswordGrantAsync(TokenRequest request, AuthenticatedClient client, CancellationToken cancellationToken)
    {
        if (FirstProblem(request) is { } problem)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", problem);
        }

        using var perUser = await throttle.AcquireAsync(request.Username!, cancellationToken);
        if (!perUser.IsAcquired)
        {
            metrics.RecordLogin(LoginResult.RateLimited);
            return AuthRateLimiting.TooManyRequests(perUser);
        }

        switch (await credentials.CheckAsync(request.Username!, request.Password!, cancellationToken))
        {
            // Only after the right password: a wrong one must not learn whether the account is confirmed.
            case CredentialOutcome.Verified(var unconfirmed) when accounts.Value.RequireConfirmedEmail && !unconfirmed.EmailConfirmed:
                await audit.WriteNowAsync(AuditActions.LoginRefusedUnconfirmed, unconfirmed, "email not confirmed");
                return ProblemResponses.EmailNotConfirmed().ToResult();
            case CredentialOutcome.Verified(var user) when user.TwoFactorEnabled:
                return await MfaAnswerAsync(await mfa.AfterPasswordAsync(
                    user, ClientIdOf(client), client.GrantScopes(request.Scope), request.Otp ?? request.Totp, RequestOrigin.Of(HttpContext), cancellationToken));
            case CredentialOutcome.Verified(var user):
                var scope = client.GrantScopes(request.Scope);
                var login = audit.Event(AuditActions.LoginSucceeded, user, client.ClientId is { } id ? $"client {id}" : null);
                var session = await refreshTokens.IssueAsync(user, ClientIdOf(client), scope, login, RequestOrigin.Of(HttpContext), cancellationToken);
                var issued = await TokensAsync(user, session, scope);
                metrics.RecordLogin(LoginResult.Succeeded);
                return issued;
            case CredentialOutcome.Busy:
                metrics.RecordLogin(LoginResult.Busy);
                return ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter);
            case var refused:
                metrics.RecordLogin(refused is CredentialOutcome.Refused { LockedOut: true } ? LoginResult.LockedOut : LoginResult.InvalidCredentials);
                return WrongCredentials();
        }
    }

    private async Task<IActionResult> MfaAnswerAsync(MfaOutcome outcome) => outcome switch
    {
        MfaOutcome.SignedIn(var user, var session, var left) => await TokensAsync(user, session, session.Scope, left),
        MfaOutcome.Required(var mfaToken) => ProblemResponses.MfaRequired(mfaToken).ToResult(),
        MfaOutcome.WrongCode(var detail) => OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", detail),
        MfaOutcome.InvalidToken(var detail) => OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", detail),
        MfaOutcome.InvalidRequest(var detail) => OAuthError(StatusCodes.Status400BadRequest, "invalid_request", detail),
        MfaOutcome.LockedOut => WrongCredentials(),
        MfaOutcome.NotConfigured => ProblemResponses.MfaNotConfigured().ToResult(ProblemResponses.DatabaseRetryAfter),
        _ => throw new InvalidOperationException($"Unhandled MFA outcome {outcome}."),
    };

    private IActionResult WrongCredentials()
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return OAuthError(StatusCodes.Status401Unauthorized, "invalid_grant", IncorrectCredentials);
    }

    private string ClientIdOf(AuthenticatedClient client) => client.ClientId ?? jwt.Value.DefaultClientId;

    private async Task<IActionResult> RefreshGrantAsync(TokenRequest request, AuthenticatedClient client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The 'refresh_token' field is required.");
        }

        if (request.RefreshToken.Length > RefreshTokenStore.MaxTokenLength)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", "The refresh token is unknown.");
        }

        // Bound to its client only once clients are registered; before, any client_id was taken on trust anyway.
        var boundTo = client.Registration is null ? null : client.ClientId;
        return await refreshTokens.RotateAsync(request.RefreshToken, boundTo, RequestOrigin.Of(HttpContext), cancellationToken) switch
        {
            // RFC 6749 §6: a refresh may narrow the session's scopes for this access token, never widen them.
            RefreshOutcome.Rotated(var user, var next) => await TokensAsync(user, next,
                string.IsNullOrEmpty(request.Scope) ? next.Scope : Scopes.Narrow(Scopes.Parse(next.Scope), request.Scope)),
            RefreshOutcome.Refused(var reason) => OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", reason),
            var other => throw new InvalidOperationException($"Unhandled refresh outcome {other}."),
        };
    }

    private async Task<IActionResult> PasskeyGrantAsync(TokenRequest request, AuthenticatedClient client, CancellationToken cancellationToken) =>
        await passkeys.SignInAsync(request.CeremonyId, request.Credential, client.ClientId ?? jwt.Value.DefaultClientId,
            client.GrantScopes(request.Scope), HttpContext, cancellationToken) switch
        {
            PasskeySignInOutcome.SignedIn(var user, var session) => await TokensAsync(user, session, session.Scope),
            PasskeySignInOutcome.Invalid(var detail) => OAuthError(StatusCodes.Status400BadRequest, "invalid_request", detail),
            PasskeySignInOutcome.EmailNotConfirmed => OAuthError(StatusCodes.Status403Forbidden, "email_not_confirmed", PasskeySignIn.EmailNotConfirmedDetail),
            PasskeySignInOutcome.Disabled => OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type", PasskeySetup.DisabledDetail),
            _ => OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", PasskeySignIn.RefusedDetail),
        };

    private async Task<IActionResult> TokensAsync(User user, IssuedRefreshToken refresh, string? scope, int? recoveryCodesLeft = null)
    {
        var token = issuer.Issue(user, await users.GetRolesAsync(user), refresh.FamilyId, refresh.ClientId, refresh.AuthTime, scope, AuthMethods.Split(refresh.AuthMethods));
        return NoStore(new TokenResponse(token.AccessToken, "bearer", token.ExpiresInSeconds, refresh.Token) { Scope = scope, RecoveryCodesLeft = recoveryCodesLeft });
    }

    private OkObjectResult NoStore(TokenResponse response)
    {
        // RFC 6749 §5.1: token responses must not be cached.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        return Ok(response);
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
