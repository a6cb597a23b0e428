using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Data;
using UserServices.Data.Tokens;
using UserServices.Data.Users;

namespace UserServices.Api.Sessions;

/// <summary>
/// Opaque refresh tokens (256 random bits), kept only as SHA-256 hashes, rotated on every use. Using a token
/// that was already rotated is taken as theft and ends its whole family.
/// </summary>
public sealed class RefreshTokenStore(UserServicesDbContext db, IOptions<RefreshTokenOptions> options, TimeProvider time, ILogger<RefreshTokenStore> logger)
{
    /// <summary>Ours are 43 characters; anything much longer is refused without a lookup.</summary>
    public const int MaxTokenLength = 1024;

    public async Task<IssuedRefreshToken> IssueAsync(User user, CancellationToken cancellationToken)
    {
        var now = Now();
        var familyId = Guid.NewGuid();
        var (token, row) = NewToken(user, familyId, now, now.AddDays(options.Value.AbsoluteLifetimeDays));
        db.RefreshTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedRefreshToken(token, familyId);
    }

    public async Task<RefreshOutcome> RotateAsync(string presented, CancellationToken cancellationToken)
    {
        var now = Now();
        var hash = Hash(presented);
        var current = await db.RefreshTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (current is null)
        {
            return new RefreshOutcome.Refused("The refresh token is unknown.");
        }

        if (current.RevokedAt is not null)
        {
            return new RefreshOutcome.Refused("The refresh token was revoked.");
        }

        if (current.UsedAt is not null)
        {
            logger.LogWarning("Refresh token reuse in family {FamilyId} of user {UserId}: revoking the family.", current.FamilyId, current.UserId);
            await RevokeFamilyAsync(current.FamilyId, cancellationToken);
            return new RefreshOutcome.Refused("The refresh token was already used.");
        }

        if (now >= current.ExpiresAt || now >= current.FamilyExpiresAt)
        {
            return new RefreshOutcome.Refused("The refresh token has expired.");
        }

        var user = current.User!;
        if (current.StampDigest != SessionBinding.DigestOf(user.SecurityStamp))
        {
            await RevokeFamilyAsync(current.FamilyId, cancellationToken);
            return new RefreshOutcome.Refused("The account changed since the refresh token was issued.");
        }

        // Refused while locked, but not revoked: a lockout that others can cause by guessing must not end the
        // owner's sign-in for good.
        if (user.LockoutEnd is { } end && end > time.GetUtcNow())
        {
            return new RefreshOutcome.Refused("The account is locked.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The database decides between concurrent uses: only one UPDATE finds the token still unused.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == current.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return new RefreshOutcome.Refused("The refresh token was already used.");
        }

        var (token, next) = NewToken(user, current.FamilyId, now, current.FamilyExpiresAt);
        db.RefreshTokens.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        await db.RefreshTokens.Where(t => t.Id == current.Id)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ReplacedById, next.Id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RefreshOutcome.Rotated(user, new IssuedRefreshToken(token, current.FamilyId));
    }

    /// <summary>RFC 7009: ends the family of the presented token; unknown tokens are silently ignored.</summary>
    public async Task RevokeAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken);
        if (familyId is { } family)
        {
            await RevokeFamilyAsync(family, cancellationToken);
        }
    }

    public async Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken)
    {
        var now = Now();
        var family = db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null);
        // Twice, on purpose: a rotation in flight holds the row this UPDATE waits for, and the successor it
        // inserts is invisible to that statement's snapshot. The second statement starts after the rotation
        // committed, so it sees — and revokes — the successor too.
        var revoked = await family.ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), cancellationToken);
        return revoked + await family.ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), cancellationToken);
    }

    public Task<int> RevokeAllAsync(int userId, CancellationToken cancellationToken)
    {
        var now = Now();
        return db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), cancellationToken);
    }

    private (string Token, RefreshToken Row) NewToken(User user, Guid familyId, DateTime now, DateTime familyExpiresAt)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var idleExpiry = now.AddDays(options.Value.IdleLifetimeDays);
        return (token, new RefreshToken
        {
            UserId = user.Id,
            TokenHash = Hash(token),
            FamilyId = familyId,
            IssuedAt = now,
            ExpiresAt = idleExpiry < familyExpiresAt ? idleExpiry : familyExpiresAt,
            FamilyExpiresAt = familyExpiresAt,
            StampDigest = SessionBinding.DigestOf(user.SecurityStamp),
        });
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);
}
