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
    /// <param name="authMethods">RFC 8176 <c>amr</c>, the session's; null: a password alone.</param>
    public IssuedToken Issue(
        User user, IEnumerable<string> roles, Guid sessionId, string? clientId = null, DateTime? authTime = null, string? scope = null,
        IReadOnlyCollection<string>? authMethods = null)
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
            [AccessTokenClaims.AuthMethods] = authMethods?.ToArray() ?? [Sessions.SessionStore.PasswordMethod],
        };
        if (!string.IsNullOrEmpty(scope))
        {
            claims[AccessTokenClaims.Scope] = scope;
        }

        return Sign(claims, jwt.Audience, now, jwt.AccessTokenLifetime);
    }

    /// <summary>
    /// A client's token for itself (client credentials, RFC 9068 §2.2): the client is the subject, no user claims,
    /// no session; <c>aud</c> is the resource servers it is for.
    /// </summary>
    public IssuedToken IssueForClient(string clientId, IReadOnlyList<string> audiences, string? scope, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object>
        {
            [AccessTokenClaims.Subject] = clientId,
            [AccessTokenClaims.ClientId] = clientId,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            // One audience as a string, as the user tokens have it; several as the array RFC 7519 §4.1.3 allows.
            [JwtRegisteredClaimNames.Aud] = audiences.Count == 1 ? audiences[0] : audiences.ToArray(),
        };
        if (!string.IsNullOrEmpty(scope))
        {
            claims[AccessTokenClaims.Scope] = scope;
        }

        return Sign(claims, audience: null, time.GetUtcNow().UtcDateTime, lifetime);
    }

    private IssuedToken Sign(Dictionary<string, object> claims, string? audience, DateTime now, TimeSpan lifetime)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            TokenType = AccessTokenClaims.TokenType,
            SigningCredentials = keys.SigningCredentials,
            Claims = claims,
        };
        return new IssuedToken(_handler.CreateToken(descriptor), (int)lifetime.TotalSeconds);
    }
}
