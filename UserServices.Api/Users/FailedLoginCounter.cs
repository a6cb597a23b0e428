using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>
/// Counts a wrong password towards lockout in one conditional <c>UPDATE … RETURNING</c>. Identity's
/// <c>AccessFailedAsync</c> reads the count, adds one and writes it back: concurrent wrong guesses (on one replica
/// or several) overwrite each other's increments, and enough parallel guessing never locks the account. Here the
/// database adds and decides, so the account locks at exactly <see cref="LockoutPolicyOptions.MaxFailedAttempts"/>
/// failures however they arrive; failures while it is locked are not counted, as Identity's sign-in does not.
/// </summary>
public sealed class FailedLoginCounter(
    UserServicesDbContext db, IOptions<LockoutPolicyOptions> options, TimeProvider time, AuditLog audit, ILogger<FailedLoginCounter> logger)
{
    /// <summary>
    /// The one rule for a wrong password, wherever it was typed: it counts towards lockout, it is audited as
    /// <paramref name="action"/>, and the failure that locks the account is audited as <c>account.locked</c> too.
    /// </summary>
    public async Task WrongPasswordAsync(User user, string action, string detail, CancellationToken cancellationToken)
    {
        var locked = await CountAsync(user, cancellationToken);
        await audit.WriteNowAsync(action, user, detail);
        if (locked)
        {
            logger.LogWarning("Account {UserId} locked out until {LockoutEnd:O} after repeated wrong passwords.", user.Id, user.LockoutEnd);
            await audit.WriteNowAsync(AuditActions.AccountLocked, user, $"by the lockout policy until {user.LockoutEnd:O}");
        }
    }

    /// <summary>
    /// A completed sign-in: the count starts again and the login is stamped, in one statement without a concurrency
    /// stamp, so concurrent sign-ins of one account never fail each other. Runs in the caller's transaction, if any.
    /// </summary>
    public Task SignedInAsync(int userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastLoginAt, now).SetProperty(x => x.AccessFailedCount, 0), cancellationToken);
    }

    /// <summary>Whether this failure is the one that locked the account.</summary>
    private async Task<bool> CountAsync(User user, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxFailedAttempts;
        var now = time.GetUtcNow();
        var until = now.AddMinutes(options.Value.LockoutMinutes);
        // The count goes back to 0 when it locks, as Identity's does, so the next lockout needs a full series again.
        var counts = await db.Database.SqlQuery<int>($"""
            UPDATE "Users"
            SET "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= {max} THEN 0 ELSE "AccessFailedCount" + 1 END,
                "LockoutEnd" = CASE WHEN "AccessFailedCount" + 1 >= {max} THEN {until} ELSE "LockoutEnd" END
            WHERE "Id" = {user.Id} AND "LockoutEnabled" AND ("LockoutEnd" IS NULL OR "LockoutEnd" <= {now})
            RETURNING "AccessFailedCount" AS "Value"
            """).ToListAsync(cancellationToken);
        var locked = counts is [0];
        if (locked)
        {
            user.LockoutEnd = until;
        }

        return locked;
    }
}
