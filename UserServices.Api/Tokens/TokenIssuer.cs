using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Sessions;
using UserServices.Data.Users;

namespace UserServices.Api.Tokens;

/// <summary>Mints access tokens: the claims the original clients read plus what a modern verifier expects.</summary>
public sealed class TokenIssuer(SigningKeys keys, IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="sessionId">The refresh-token family this access token was issued with; logout ends it.</param>
    /// <param name="clientId">The requesting client; null: the request named none, so Jwt:DefaultClientId.</param>
    /// <param name="authTime">When the session's password login happened; null: it is happening now.</param>
    /// <param name="scope">The granted scopes, space-separated; null: none, and no <c>scope</c> claim.</param>
    public IssuedToken Issue(User user, IEnumerable<string> roles, Guid sessionId, string? clientId = null, DateTime? authTime = null, string? scope = null)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [AccessTokenClaims.Subject] = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [AccessTokenClaims.UserName] = user.UserName ?? "",
            [AccessTokenClaims.Email] = user.Email ?? "",
            [AccessTokenClaims.Role] = roles.ToArray(),
            [AccessTokenClaims.StampDigest] = SessionBinding.DigestOf(user.SecurityStamp),
            [AccessTokenClaims.SessionId] = sessionId.ToString("N"),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            [AccessTokenClaims.ClientId] = clientId ?? jwt.DefaultClientId,
            [AccessTokenClaims.AuthTime] = EpochTime.GetIntDate(DateTime.SpecifyKind(authTime ?? now, DateTimeKind.Utc)),
        };
        if (!string.IsNullOrEmpty(scope))
        {
            claims[AccessTokenClaims.Scope] = scope;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + jwt.AccessTokenLifetime,
            TokenType = AccessTokenClaims.TokenType,
            SigningCredentials = keys.SigningCredentials,
            Claims = claims,
        };
        return new IssuedToken(_handler.CreateToken(descriptor), (int)jwt.AccessTokenLifetime.TotalSeconds);
    }
}
