using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Hosting;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;

namespace UserServices.Api.Tokens;

/// <summary>How a bearer token is checked: the signature and claims, then the account it names, on every request.</summary>
public static class BearerAuthentication
{
    public static TokenValidationParameters ValidationParameters(SigningKeys keys, JwtOptions jwt) => new()
    {
        // The earlier issuers too, so changing Jwt:Issuer (or setting Jwt:PublicBaseUrl) signs nobody out.
        ValidIssuers = jwt.AcceptedIssuers,
        ValidAudience = jwt.Audience,
        IssuerSigningKeys = keys.VerificationKeys,
        ValidAlgorithms = [keys.Algorithm],
        TypeValidator = AccessTokenHeader.ValidateType,
        ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        // Keys come from configuration only; a key or key URL in the token's own header (jwk, jku, x5u) is never used.
        ValidateIssuerSigningKey = true,
        NameClaimType = AccessTokenClaims.UserName,
        RoleClaimType = AccessTokenClaims.Role,
    };

    public static JwtBearerEvents Events() => new()
    {
        OnTokenValidated = CheckAccountIsStillValid,
        OnChallenge = WriteInvalidToken,
    };

    /// <summary>
    /// A signature only proves the token was issued; this proves it still counts: its session is live and its account
    /// unchanged and unlocked (<see cref="SessionRule"/>). The one query it runs reads the account and the session
    /// together and is the profile's own, so <c>GET /user/user</c> reads the database once.
    /// </summary>
    private static async Task CheckAccountIsStillValid(TokenValidatedContext context)
    {
        // A token sent to an endpoint that needs none (a liveness probe that always sends one, the JWKS) is ignored
        // rather than checked: its account lookup would make that endpoint depend on the database, and a database
        // outage would fail every replica's liveness probe.
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null)
        {
            context.NoResult();
            return;
        }

        var principal = context.Principal!;

        // A client's own token names no account: nothing to look up; the account-holder requirement refuses it (403).
        if (MachineTokens.Is(principal))
        {
            return;
        }

        if (!int.TryParse(principal.FindFirst(AccessTokenClaims.Subject)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            context.Fail("The token has no numeric subject.");
            return;
        }

        var http = context.HttpContext;
        var services = http.RequestServices;
        var db = services.GetRequiredService<UserServicesDbContext>();
        var checkSession = services.GetRequiredService<IOptions<SessionCheckOptions>>().Value.CheckOnEveryRequest;
        var account = checkSession && Guid.TryParseExact(principal.FindFirst(AccessTokenClaims.SessionId)?.Value, "N", out var sessionId)
            ? await Account.FindAsync(db, userId, sessionId, http.RequestAborted)
            : await Account.FindAsync(db, userId, http.RequestAborted);
        if (account is not null)
        {
            // With the check switched off (only to measure it), the session counts as live as long as the token does.
            var session = checkSession ? account.Session : SessionState.Unchecked;
            var verdict = SessionRule.Judge(session, principal.FindFirst(AccessTokenClaims.StampDigest)?.Value,
                account.SecurityStamp, account.LockoutEnd, services.GetRequiredService<TimeProvider>().GetUtcNow());
            if (verdict != SessionVerdict.Usable)
            {
                context.Fail($"The token's session cannot be used: {verdict}.");
                return;
            }
        }

        services.GetRequiredService<CurrentAccount>().Account = account;
    }

    /// <summary>RFC 6750: every refused bearer request says <c>invalid_token</c>, with a ProblemDetails body.</summary>
    private static Task WriteInvalidToken(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return ProblemResponses.WriteAsync(context.HttpContext, ProblemResponses.InvalidToken());
    }
}
