using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using UserServices.Data;
using UserServices.Data.Passkeys;

namespace UserServices.Api.Passkeys;

/// <summary>
/// The state of passkey ceremonies between their two requests, without cookies: a random one-time <c>ceremony_id</c>
/// goes to the client, its SHA-256 and Identity's state to the database for <see cref="Lifetime"/>, and the first
/// completion takes the row with one <c>DELETE … RETURNING</c>, so exactly one completion can use it, on any replica.
/// </summary>
public sealed class PasskeyCeremonies(UserServicesDbContext db, TimeProvider time)
{
    public const string Register = "register";
    public const string Login = "login";

    /// <summary>The ceremony ids we hand out are 43 characters; anything much longer is refused without a lookup.</summary>
    public const int MaxIdLength = 128;

    /// <summary>How long a ceremony may take: the authenticator timeout we ask browsers for, with no slack to replay in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Stores <paramref name="state"/> and returns the new ceremony's id, which only the client holds.</summary>
    public async Task<string> BeginAsync(string purpose, int? userId, string state, CancellationToken cancellationToken)
    {
        // 256 random bits (OWASP ASVS 5.0 V7.2.3), as the refresh tokens have.
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        db.PasskeyCeremonies.Add(new PasskeyCeremony
        {
            IdHash = Hash(id),
            Purpose = purpose,
            UserId = userId,
            State = state,
            ExpiresAt = time.GetUtcNow().UtcDateTime + Lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Takes the ceremony <paramref name="ceremonyId"/> of <paramref name="purpose"/> (for a registration, of
    /// <paramref name="userId"/>): deleted by this call, so a second completion finds nothing; null when it is
    /// unknown, used, expired, of another kind or another account's.
    /// </summary>
    public async Task<PasskeyCeremony?> TakeAsync(string? ceremonyId, string purpose, int? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(ceremonyId) || ceremonyId.Length > MaxIdLength)
        {
            return null;
        }

        var hash = Hash(ceremonyId);
        var now = time.GetUtcNow().UtcDateTime;
        // An expired row is left to the hourly cleanup; the kind and account are part of the condition, so a request
        // that names someone else's ceremony cannot spend it.
        var rows = userId is { } owner
            ? db.PasskeyCeremonies.FromSql($"""
                DELETE FROM "PasskeyCeremonies"
                WHERE "IdHash" = {hash} AND "Purpose" = {purpose} AND "ExpiresAt" > {now} AND "UserId" = {owner}
                RETURNING *
                """)
            : db.PasskeyCeremonies.FromSql($"""
                DELETE FROM "PasskeyCeremonies"
                WHERE "IdHash" = {hash} AND "Purpose" = {purpose} AND "ExpiresAt" > {now} AND "UserId" IS NULL
                RETURNING *
                """);
        var taken = await rows.AsNoTracking().ToListAsync(cancellationToken);
        return taken.SingleOrDefault();
    }

    private static string Hash(string ceremonyId) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(ceremonyId)));
}
