using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using UserServices.Data.Tokens;
using UserServices.Data.Users;

namespace UserServices.Api.Sessions;

/// <summary>
/// Makes refresh tokens: 256 random bits shown to the client once, kept only as their SHA-256 hash, each new one
/// carrying over what its session started with.
/// </summary>
public sealed class RefreshTokenMint(IOptions<RefreshTokenOptions> options)
{
    /// <summary>The next token of <paramref name="family"/>'s session, carrying over what the session started with.</summary>
    public (string Token, RefreshToken Row) NewToken(User user, RefreshToken family, DateTime now)
    {
        var token = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var idleExpiry = now.AddDays(options.Value.IdleLifetimeDays);
        return (token, new RefreshToken
        {
            UserId = user.Id,
            TokenHash = Hash(token),
            FamilyId = family.FamilyId,
            IssuedAt = now,
            ExpiresAt = idleExpiry < family.FamilyExpiresAt ? idleExpiry : family.FamilyExpiresAt,
            FamilyExpiresAt = family.FamilyExpiresAt,
            StampDigest = SessionBinding.DigestOf(user.SecurityStamp),
            AuthTime = family.AuthTime,
            ClientId = family.ClientId,
            Scope = family.Scope,
        });
    }

    /// <summary>What a stored row is looked up by: the token itself is never kept.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public static IssuedRefreshToken Issued(string token, RefreshToken row, string authMethods) =>
        new(token, row.FamilyId, row.ClientId, DateTime.SpecifyKind(row.AuthTime, DateTimeKind.Utc), row.Scope, authMethods);
}
