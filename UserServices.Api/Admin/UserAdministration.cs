using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

/// <summary>
/// What an operator can do to accounts. Every change runs in one transaction with its audit event, so a refused or
/// failed change leaves neither. Changes that end sessions rotate the security stamp (every access token fails the
/// bearer check at its next use) and revoke the refresh-token families.
/// </summary>
public sealed class UserAdministration(
    UserServicesDbContext db,
    UserManager<User> users,
    RefreshTokenStore refreshTokens,
    PasswordWork passwords,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <summary>What a lock without an end stores: far enough to mean "until unlocked".</summary>
    public static readonly DateTimeOffset Indefinitely = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public const string LastAdminDetail = "This is the last admin who is not locked; the service would be left without one.";
    public const string SelfDetail = "An admin may not lock or delete their own account.";
    public const string TakenDetail = "That username or email is already registered.";

    public async Task<AdminUserPage> ListAsync(string? search, int limit, long? after, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking();
        if (after is { } last)
        {
            query = query.Where(u => u.Id > last);
        }

        if (!string.IsNullOrEmpty(search))
        {
            var name = users.NormalizeName(search);
            var email = users.NormalizeEmail(search);
            query = query.Where(u => u.NormalizedUserName!.StartsWith(name) || u.NormalizedEmail!.StartsWith(email));
        }

        var page = await query.OrderBy(u => u.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > limit;
        if (more)
        {
            page.RemoveAt(limit);
        }

        var roles = await RolesOfAsync([.. page.Select(u => u.Id)], cancellationToken);
        return new AdminUserPage([.. page.Select(u => View(u, roles))], more ? PageCursor.Encode(page[^1].Id) : null);
    }

    public async Task<AdminUser?> FindAsync(int id, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var sessions = await db.Sessions.Where(s => s.UserId == id).Where(SessionRule.LiveAt(now)).CountAsync(cancellationToken);
        return View(user, await RolesOfAsync([id], cancellationToken)) with { ActiveSessions = sessions };
    }

    public async Task<AdminOutcome> UpdateAsync(int id, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (request.Roles is not null)
        {
            await AdminRoles.SerializeAsync(db, cancellationToken);
        }

        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return new AdminOutcome.NotFound();
        }

        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        var changed = new List<string>();
        if (request.Username is not null)
        {
            var name = request.Username.Trim();
            if (name.Length == 0)
            {
                Add("username", "Username is required.");
            }
            else if (!string.Equals(name, user.UserName, StringComparison.Ordinal))
            {
                user.UserName = name;
                user.NormalizedUserName = users.NormalizeName(name);
                changed.Add("username");
            }
        }

        if (request.Email is not null)
        {
            var email = request.Email.Trim();
            if (email.Length == 0)
            {
                Add("email", "Email is required.");
            }
            else if (!string.Equals(email, user.Email, StringComparison.Ordinal))
            {
                user.Email = email;
                user.NormalizedEmail = users.NormalizeEmail(email);
                changed.Add("email");
            }
        }

        var current = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        List<string>? wanted = null;
        if (request.Roles is not null)
        {
            var known = await db.Roles.Select(r => r.Name!).ToListAsync(cancellationToken);
            foreach (var unknown in request.Roles.Where(r => !known.Contains(r, StringComparer.Ordinal)).Distinct())
            {
                Add("roles", $"'{unknown}' is not a role; the roles are: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }

            wanted = [.. request.Roles.Distinct().Order(StringComparer.Ordinal)];
            if (wanted.SequenceEqual(current))
            {
                wanted = null;
            }
        }

        if (changed.Count > 0)
        {
            var duplicate = false;
            foreach (var validator in users.UserValidators)
            {
                foreach (var error in (await validator.ValidateAsync(users, user)).Errors)
                {
                    if (error.Code is "DuplicateUserName" or "DuplicateEmail")
                    {
                        duplicate = true;
                    }
                    else
                    {
                        Add(error.Code.Contains("Email", StringComparison.Ordinal) ? "email" : "username", error.Description);
                    }
                }
            }

            if (errors.Count == 0 && duplicate)
            {
                return new AdminOutcome.Conflict(TakenDetail);
            }
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray()));
        }

        if (wanted is not null && current.Exists(AdminRoles.IsAdmin) && !wanted.Exists(AdminRoles.IsAdmin)
            && !await AdminRoles.AnotherActiveAdminAsync(db, user.Id, time.GetUtcNow(), cancellationToken))
        {
            return new AdminOutcome.Conflict(LastAdminDetail);
        }

        if (changed.Count == 0 && wanted is null)
        {
            return new AdminOutcome.Done(await ViewAsync(user, cancellationToken));
        }

        if (changed.Count > 0)
        {
            audit.Record(AuditActions.UserUpdated, user, $"changed: {string.Join(", ", changed)}");
        }

        if (wanted is not null)
        {
            audit.Record(AuditActions.RolesChanged, user, $"roles: [{string.Join(", ", current)}] -> [{string.Join(", ", wanted)}]");
            // Straight on the join table, so that the one save below writes everything or nothing.
            var changedRoles = current.Except(wanted).Concat(wanted.Except(current)).ToList();
            var roleIds = await db.Roles.Where(r => changedRoles.Contains(r.Name!)).ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
            var removedIds = current.Except(wanted).Select(r => roleIds[r]).ToList();
            db.UserRoles.RemoveRange(await db.UserRoles.Where(ur => ur.UserId == user.Id && removedIds.Contains(ur.RoleId)).ToListAsync(cancellationToken));
            db.UserRoles.AddRange(wanted.Except(current).Select(r => new IdentityUserRole<int> { UserId = user.Id, RoleId = roleIds[r] }));
        }

        IdentityResult saved;
        try
        {
            // The new username/email, the roles, the rotated stamp and the events, in one save.
            saved = await users.UpdateSecurityStampAsync(user);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another change took the name between the validator and the save; the unique index decided.
            audit.Discard();
            return new AdminOutcome.Conflict(TakenDetail);
        }

        if (saved.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
        {
            audit.Discard();
            return new AdminOutcome.Conflict(TakenDetail);
        }

        Check(saved);
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(await ViewAsync(user, cancellationToken));
    }

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
        audit.Record(AuditActions.AccountLocked, user, $"by admin until {end}" + (string.IsNullOrWhiteSpace(reason) ? "" : $"; reason: {reason}"));
        Check(await users.UpdateSecurityStampAsync(user));
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
        audit.Record(AuditActions.AccountUnlocked, user, "failed-login count reset");
        Check(await users.UpdateAsync(user));
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

        audit.Record(AuditActions.SessionsEndedByAdmin, user);
        Check(await users.UpdateSecurityStampAsync(user));
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken, SessionEndCause.EndedByAdmin);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }

    public async Task<AdminOutcome> SetPasswordAsync(int id, string? password, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return new AdminOutcome.NotFound();
        }

        var problems = new List<string>();
        if (string.IsNullOrEmpty(password))
        {
            problems.Add("The new password is required.");
        }
        else if (password.Length > PasswordLimits.MaxFieldLength)
        {
            problems.Add($"The new password must be at most {PasswordLimits.MaxFieldLength} characters.");
        }
        else
        {
            foreach (var validator in users.PasswordValidators)
            {
                problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
            }
        }

        if (problems.Count > 0)
        {
            return new AdminOutcome.Invalid(new Dictionary<string, string[]> { ["new_password"] = [.. problems.Distinct()] });
        }

        // The bcrypt on the password threads; the hasher below takes its result.
        if (!await passwords.TryHashAsync(user, password!, cancellationToken))
        {
            return new AdminOutcome.Busy();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password!);
        audit.Record(AuditActions.PasswordSetByAdmin, user);
        Check(await users.UpdateSecurityStampAsync(user));
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

        audit.Record(AuditActions.UserDeleted, user, $"email was {user.Email}");
        // The refresh tokens go with the row (ON DELETE CASCADE); access tokens then find no account.
        Check(await users.DeleteAsync(user));
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
        audit.Record(AuditActions.RolesChanged, user, $"roles: [{string.Join(", ", before)}] -> [{string.Join(", ", after)}]");
        Check(grant ? await users.AddToRoleAsync(user, Role.Admin) : await users.RemoveFromRoleAsync(user, Role.Admin));
        // The roles are in the access token; a new stamp makes the old ones stop at their next use.
        Check(await users.UpdateSecurityStampAsync(user));
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }

    private async Task<AdminUser> ViewAsync(User user, CancellationToken cancellationToken) =>
        View(user, await RolesOfAsync([user.Id], cancellationToken));

    private AdminUser View(User user, Dictionary<int, List<string>> roles) => new(
        user.Id,
        user.UserName,
        user.Email,
        roles.TryGetValue(user.Id, out var names) ? names : [],
        Utc(user.CreatedAt),
        Utc(user.LastLoginAt),
        user.LockoutEnd is { } end && end > time.GetUtcNow() ? end : null,
        user.AccessFailedCount);

    private async Task<Dictionary<int, List<string>>> RolesOfAsync(List<int> ids, CancellationToken cancellationToken)
    {
        var rows = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where ids.Contains(ur.UserId)
            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).Order(StringComparer.Ordinal).ToList());
    }

    // SQLite gives times back without their kind; they were written in UTC.
    private static DateTime? Utc(DateTime? value) => value is { } time ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : null;

    /// <summary>An Identity store call that fails here is a bug or a lost race, not bad input: roll everything back.</summary>
    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Identity refused an administrative change: {string.Join(" ", result.Errors.Select(e => e.Code))}");
        }
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
