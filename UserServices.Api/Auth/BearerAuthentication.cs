using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Errors;
using UserServices.Api.Users;
using UserServices.Data;

namespace UserServices.Api.Auth;

public static class BearerAuthentication
{
    /// <summary>JWT minting and JwtBearer validation, pinned to our algorithm, issuer, audience and token type.</summary>
    public static WebApplicationBuilder AddTokenIssuing(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JwtOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JwtOptionsSetup>();
        services.AddSingleton<IConfigureOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<IValidateOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddOptions<RefreshTokenOptions>().BindConfiguration(RefreshTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RefreshTokenStore>();
        services.AddSingleton<RefreshTokenCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<RefreshTokenCleanup>());
        services.AddSingleton(TimeProvider.System);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<JwtOptions>>((bearer, keys, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = ValidationParameters(keys, jwt.Value);
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = CheckAccountIsStillValid,
                    OnChallenge = WriteInvalidToken,
                };
            });
        services.AddAuthorization();
        return builder;
    }

    public static TokenValidationParameters ValidationParameters(SigningKeys keys, JwtOptions jwt) => new()
    {
        ValidIssuer = jwt.Issuer,
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

    /// <summary>
    /// A signature only proves the token was issued; this proves it still counts. The one query it runs is the
    /// profile's own, so <c>GET /user/user</c> reads the user row once.
    /// </summary>
    private static async Task CheckAccountIsStillValid(TokenValidatedContext context)
    {
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
            if (stamp != AccessTokenClaims.DigestOf(account.SecurityStamp) || account.IsLockedOut(now))
            {
                context.Fail("The account changed since the token was issued.");
                return;
            }
        }

        http.RequestServices.GetRequiredService<CurrentAccount>().Account = account;
    }

    /// <summary>RFC 6750: every refused bearer request says <c>invalid_token</c>, with a ProblemDetails body.</summary>
    private static async Task WriteInvalidToken(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        var problem = ErrorResponses.OAuth(
            StatusCodes.Status401Unauthorized,
            "invalid_token",
            "The access token is missing, malformed, expired or no longer valid.",
            "https://www.rfc-editor.org/rfc/rfc6750#section-3.1");
        var writer = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
    }
}
