using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Data.Mfa;

namespace UserServices.Api.Mfa;

/// <summary>
/// The <c>mfa_token</c>s: 256 random bits handed to the client, only their SHA-256 kept. Every decision about one —
/// a wrong code counted, the sign-in it completes — is one conditional UPDATE, so it holds across replicas.
/// </summary>
public sealed class MfaChallenges(UserServicesDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Ours are 43 characters; a longer one is refused without a lookup.</summary>
    public const int MaxTokenLength = 128;

    public async Task<string> StartAsync(int userId, string clientId, CancellationToken cancellationToken)
    {
        var token = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        db.MfaChallenges.Add(new MfaChallenge
        {
            TokenHash = Hash(token),
            UserId = userId,
            ClientId = clientId,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>The challenge of <paramref name="token"/> with its account, in whatever state; null when there is none.</summary>
    public async Task<MfaChallenge?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }

        var hash = Hash(token);
        return await db.MfaChallenges.AsNoTracking().Include(c => c.User).SingleOrDefaultAsync(c => c.TokenHash == hash, cancellationToken);
    }

    /// <summary>Whether it still works: unused, unexpired, fewer than five wrong codes (<see cref="SpendAsync"/> decides again, atomically).</summary>
    public bool IsLive(MfaChallenge challenge) =>
        challenge is { UsedAt: null, FailedAttempts: < MfaChallenge.MaxFailedAttempts } && challenge.ExpiresAt > time.GetUtcNow().UtcDateTime;

    /// <summary>Counts a wrong code against the challenge; the fifth kills it.</summary>
    public Task<int> CountWrongAsync(long id, CancellationToken cancellationToken) =>
        db.MfaChallenges.Where(c => c.Id == id && c.UsedAt == null && c.FailedAttempts < MfaChallenge.MaxFailedAttempts)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.FailedAttempts, x => x.FailedAttempts + 1), cancellationToken);

    /// <summary>Spends the challenge, in the caller's transaction: true for the one request that gets it.</summary>
    public async Task<bool> SpendAsync(long id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.MfaChallenges
            .Where(c => c.Id == id && c.UsedAt == null && c.ExpiresAt > now && c.FailedAttempts < MfaChallenge.MaxFailedAttempts)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.UsedAt, now), cancellationToken) == 1;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
