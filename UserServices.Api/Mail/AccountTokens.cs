using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Sessions;
using UserServices.Data;
using UserServices.Data.Audit;
using UserServices.Data.Mail;
using UserServices.Data.Users;

namespace UserServices.Api.Mail;

/// <summary>
/// The tokens in mailed links: 256 random bits, stored as their SHA-256, single-use, bound to one account and one
/// purpose, replaced by a newer one of the same purpose. A table of our own rather than Identity's token providers:
/// those are Data Protection payloads, valid until they expire however often they are used, which every replica
/// could only check with a key ring shared through the database; a row is single-use, revocable and readable by
/// every replica through the database it already shares.
/// </summary>
public sealed class AccountTokens(UserServicesDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>A token is 43 characters; anything much longer is not one and costs no query.</summary>
    public const int MaxTokenLength = 128;

    /// <summary>
    /// Mints a token for <paramref name="user"/>, ending the unused ones of the same purpose; <paramref name="minted"/>,
    /// the event that says so, is saved with it.
    /// </summary>
    public async Task<string> MintAsync(
        User user, string purpose, string? email, TimeSpan lifetime, CancellationToken cancellationToken, AuditEvent? minted = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.AccountTokens.Where(t => t.UserId == user.Id && t.Purpose == purpose && t.UsedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        db.AccountTokens.Add(new AccountToken
        {
            UserId = user.Id,
            TokenHash = HashOf(token),
            Purpose = purpose,
            Email = email,
            StampDigest = SessionBinding.DigestOf(user.SecurityStamp),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        if (minted is not null)
        {
            audit.AddTo(db, minted);
        }

        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>The unused, unexpired token of one of <paramref name="purposes"/>, without using it.</summary>
    public async Task<AccountToken?> FindUsableAsync(string? token, string[] purposes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var hash = HashOf(token);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.AccountTokens.AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == hash && purposes.Contains(t.Purpose) && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Uses the token; false when another request used it first. Call it in the transaction of what it allows.</summary>
    public async Task<bool> TryUseAsync(AccountToken token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.AccountTokens.Where(t => t.Id == token.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken) == 1;
    }

    private static string HashOf(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
