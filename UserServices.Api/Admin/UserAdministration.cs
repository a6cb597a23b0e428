using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

/// <summary>
/// What an operator does to an account's standing: lock, unlock, end its sessions, delete it, give or take the admin
/// role (changing its fields is <see cref="UserUpdate"/>, its password <see cref="AdminPasswords"/>). Every change runs
/// in one transaction with its audit event, so a refused or failed change leaves neither. Changes that end sessions
/// rotate the security stamp (every access token fails the bearer check at its next use) and revoke the refresh-token
/// families.
/// </summary>
public sealed class UserAdministration(
    UserServicesDbContext db,
    UserManager<User> users,
    RefreshTokenStore refreshTokens,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>What a lock without an end stores: far enough to mean "until unlocked".</summary>
    public static readonly DateTimeOffset Indefinitely = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public const string LastAdminDetail = "This is the last admin who is not locked; the service would be left without one.";
    public const string SelfDetail = "An admin may not lock or delete their own account.";

    public async Task<AdminOutcome> LockAsync(int actorId, int id, DateTimeOffset? until, string? reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (user, refusal) = await FindRemovableAsync(actorId, id, cancellationToken);
        if (user is null)
        {
            return refusal!;
        }

        user.LockoutEnabled = true;
        // In UTC: PostgreSQL's timestamptz takes no other offset, and SQLite compares the stored text.
        user.LockoutEnd = until?.ToUniversalTime() ?? Indefinitely;
        var end = until is { } u ? u.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : "indefinitely";
        audit.AddTo(db, AuditActions.AccountLocked, user, $"by admin until {end}" + (string.IsNullOrWhiteSpace(reason) ? "" : $"; reason: {reason}"));
        IdentityChecks.Check(await users.UpdateSecurityStampAsync(user));
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }

    public async Task<AdminOutcome> UnlockAsync(int id, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        return user is null ? new AdminOutcome.NotFound() : await UnlockAsync(user, cancellationToken);
    }

    public async Task<AdminOutcome> UnlockAsync(User user, CancellationToken cancellationToken)
    {
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        audit.AddTo(db, AuditActions.AccountUnlocked, user, "failed-login count reset");
        IdentityChecks.Check(await users.UpdateAsync(user));
        return new AdminOutcome.Done(null);
    }

    public async Task<AdminOutcome> EndSessionsAsync(int id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return new AdminOutcome.NotFound();
        }

        audit.AddTo(db, AuditActions.SessionsEndedByAdmin, user);
        IdentityChecks.Check(await users.UpdateSecurityStampAsync(user));
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }

    public async Task<AdminOutcome> DeleteAsync(int actorId, int id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (user, refusal) = await FindRemovableAsync(actorId, id, cancellationToken);
        if (user is null)
        {
            return refusal!;
        }

        audit.AddTo(db, AuditActions.UserDeleted, user, $"email was {user.Email}");
        // The refresh tokens go with the row (ON DELETE CASCADE); access tokens then find no account.
        IdentityChecks.Check(await users.DeleteAsync(user));
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }

    /// <summary>Gives (<paramref name="grant"/>) or takes the admin role; taking it from the last active admin is refused.</summary>
    public async Task<AdminOutcome> SetAdminAsync(User user, bool grant, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AdminRoles.SerializeAsync(db, cancellationToken);
        var holds = await AdminRoles.HoldsAdminAsync(db, user.Id, cancellationToken);
        if (holds == grant)
        {
            return new AdminOutcome.Done(null);
        }

        if (!grant && !await AdminRoles.AnotherActiveAdminAsync(db, user.Id, time.GetUtcNow(), cancellationToken))
        {
            return new AdminOutcome.Conflict(LastAdminDetail);
        }

        var before = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        var after = grant ? [.. before.Append(Role.Admin).Order(StringComparer.Ordinal)] : before.Where(r => !AdminRoles.IsAdmin(r)).ToList();
        audit.AddTo(db, AuditActions.RolesChanged, user, $"roles: [{string.Join(", ", before)}] -> [{string.Join(", ", after)}]");
        IdentityChecks.Check(grant ? await users.AddToRoleAsync(user, Role.Admin) : await users.RemoveFromRoleAsync(user, Role.Admin));
        // The roles are in the access token; a new stamp makes the old ones stop at their next use.
        IdentityChecks.Check(await users.UpdateSecurityStampAsync(user));
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }

    /// <summary>
    /// The account an admin may lock or delete — not their own, not the last active admin — found inside the
    /// caller's transaction after taking the admin role's lock, so two admins removing each other run in turn.
    /// </summary>
    private async Task<(User? User, AdminOutcome? Refusal)> FindRemovableAsync(int actorId, int id, CancellationToken cancellationToken)
    {
        if (id == actorId)
        {
            return (null, new AdminOutcome.Conflict(SelfDetail));
        }

        await AdminRoles.SerializeAsync(db, cancellationToken);
        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return (null, new AdminOutcome.NotFound());
        }

        return await AdminRoles.HoldsAdminAsync(db, id, cancellationToken)
            && !await AdminRoles.AnotherActiveAdminAsync(db, id, time.GetUtcNow(), cancellationToken)
            ? (null, new AdminOutcome.Conflict(LastAdminDetail))
            : (user, null);
    }
}
