using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Clients;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;

namespace UserServices.Api.Tokens;

/// <summary>
/// Whether a token counts right now (RFC 7662). For an access token that is more than its signature says: the
/// account must still exist, be unlocked and have the password the token was issued under, and the sign-in the
/// token belongs to must be live (<see cref="SessionRule"/>, as for the bearer check).
/// </summary>
public sealed class TokenIntrospection(
    SigningKeys keys,
    IOptions<JwtOptions> options,
    IOptions<ClientOptions> clients,
    UserServicesDbContext db,
    RefreshTokenStore refreshTokens,
    TimeProvider time)
{
    /// <summary>Ours are well under 2 KB; anything much longer is not worth parsing.</summary>
    public const int MaxTokenLength = 8 * 1024;

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<IntrospectionResponse> InspectAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            return IntrospectionResponse.Inactive;
        }

        // A JWS in compact form has exactly two dots; our refresh tokens are base64url and have none.
        return token.Count(c => c == '.') == 2
            ? await AccessTokenAsync(token, cancellationToken)
            : await RefreshTokenAsync(token, cancellationToken);
    }

    private async Task<IntrospectionResponse> AccessTokenAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = options.Value;
        var parameters = BearerAuthentication.ValidationParameters(keys, jwt);
        // A client's own tokens are for the resource servers it calls, so their audiences count here too.
        parameters.ValidAudiences = [jwt.Audience, .. clients.Value.Registered.SelectMany(c => c.Audiences)];
        var validation = await Handler.ValidateTokenAsync(token, parameters);
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken access)
        {
            return IntrospectionResponse.Inactive;
        }

        if (MachineTokens.Is(access))
        {
            return MachineToken(access);
        }

        // The bearer check's own query and rule, so introspection and the API never disagree about a token.
        if (!int.TryParse(access.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !Guid.TryParseExact(Claim(access, AccessTokenClaims.SessionId), "N", out var sessionId)
            || await Account.FindAsync(db, userId, sessionId, cancellationToken) is not { } account
            || SessionRule.Judge(account.Session, Claim(access, AccessTokenClaims.StampDigest), account.SecurityStamp, account.LockoutEnd,
                time.GetUtcNow()) != SessionVerdict.Usable)
        {
            return IntrospectionResponse.Inactive;
        }

        return new IntrospectionResponse
        {
            Active = true,
            TokenType = "bearer",
            Scope = Claim(access, AccessTokenClaims.Scope),
            ClientId = Claim(access, AccessTokenClaims.ClientId),
            UserName = account.UserName,
            Subject = access.Subject,
            Audience = access.Audiences.FirstOrDefault(),
            Issuer = access.Issuer,
            ExpiresAt = EpochTime.GetIntDate(access.ValidTo),
            IssuedAt = EpochTime.GetIntDate(access.IssuedAt),
            NotBefore = EpochTime.GetIntDate(access.ValidFrom),
            TokenId = access.Id,
            AuthTime = long.TryParse(Claim(access, AccessTokenClaims.AuthTime), NumberStyles.None, CultureInfo.InvariantCulture, out var authTime) ? authTime : null,
        };
    }

    /// <summary>
    /// A client's own token counts while its client is registered and enabled: removing or disabling a compromised
    /// client cuts it off at once for every resource server that introspects.
    /// </summary>
    private IntrospectionResponse MachineToken(JsonWebToken access) =>
        clients.Value.Registered.Any(c => c.ClientId == access.Subject && c.Enabled)
            ? new IntrospectionResponse
            {
                Active = true,
                TokenType = "bearer",
                Scope = Claim(access, AccessTokenClaims.Scope),
                ClientId = access.Subject,
                Subject = access.Subject,
                Audience = access.Audiences.FirstOrDefault(),
                Issuer = access.Issuer,
                ExpiresAt = EpochTime.GetIntDate(access.ValidTo),
                IssuedAt = EpochTime.GetIntDate(access.IssuedAt),
                NotBefore = EpochTime.GetIntDate(access.ValidFrom),
                TokenId = access.Id,
            }
            : IntrospectionResponse.Inactive;

    private async Task<IntrospectionResponse> RefreshTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (await refreshTokens.FindLiveAsync(token, cancellationToken) is not { User: { } user } row)
        {
            return IntrospectionResponse.Inactive;
        }

        var expires = row.ExpiresAt < row.FamilyExpiresAt ? row.ExpiresAt : row.FamilyExpiresAt;
        return new IntrospectionResponse
        {
            Active = true,
            TokenType = "refresh_token",
            Scope = row.Scope,
            ClientId = row.ClientId ?? options.Value.DefaultClientId,
            UserName = user.UserName,
            Subject = user.Id.ToString(CultureInfo.InvariantCulture),
            Issuer = options.Value.Issuer,
            ExpiresAt = Epoch(expires),
            IssuedAt = Epoch(row.IssuedAt),
            AuthTime = Epoch(row.AuthTime),
        };
    }

    private static string? Claim(JsonWebToken token, string type) =>
        token.TryGetPayloadValue<object>(type, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static long Epoch(DateTime utc) => EpochTime.GetIntDate(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
