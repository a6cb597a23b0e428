using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
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
        ValidTypes = [AccessTokenClaims.TokenType],
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
    /// A signature only proves the token was issued; this proves it still counts. The one query it runs is the
    /// profile's own, so <c>GET /user/user</c> reads the user row once.
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

        // A client's own token names no account: nothing to look up; the account-holder requirement refuses it (403).
        if (MachineTokens.Is(context.Principal!))
        {
            return;
        }

        var subject = context.Principal?.FindFirst(AccessTokenClaims.Subject)?.Value;
        if (!int.TryParse(subject, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            context.Fail("The token has no numeric subject.");
            return;
        }

        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<UserServicesDbContext>();
        var account = await Account.FindAsync(db, userId, http.RequestAborted);
        if (account is not null)
        {
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            var stamp = context.Principal!.FindFirst(AccessTokenClaims.StampDigest)?.Value;
            if (stamp != SessionBinding.DigestOf(account.SecurityStamp) || account.IsLockedOut(now))
            {
                context.Fail("The account changed since the token was issued.");
                return;
            }
        }

        http.RequestServices.GetRequiredService<CurrentAccount>().Account = account;
    }

    /// <summary>RFC 6750: every refused bearer request says <c>invalid_token</c>, with a ProblemDetails body.</summary>
    private static Task WriteInvalidToken(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return ProblemResponses.WriteAsync(context.HttpContext, ProblemResponses.InvalidToken());
    }
}
