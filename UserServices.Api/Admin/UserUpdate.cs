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
/// An operator's change to an account's username, email or roles: all checked first, then written in one save with
/// their events and a new security stamp, so the account's tokens stop at their next use.
/// </summary>
public sealed class UserUpdate(
    UserServicesDbContext db, UserManager<User> users, UserDirectory directory, RefreshTokenStore refreshTokens, AuditLog audit, TimeProvider time)
{
    public const string TakenDetail = "That username or email is already registered.";
    public const string EmailRequired = "Email is required.";

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
        var changed = SetFields(user, request, errors);
        var current = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        var wanted = request.Roles is null ? null : await WantedRolesAsync(request.Roles, current, errors, cancellationToken);
        var duplicate = changed.Count > 0 && await ValidateChangedAsync(user, errors);
        if (errors.Count == 0 && duplicate)
        {
            return new AdminOutcome.Conflict(TakenDetail);
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray()));
        }

        if (wanted is not null && current.Exists(AdminRoles.IsAdmin) && !wanted.Exists(AdminRoles.IsAdmin)
            && !await AdminRoles.AnotherActiveAdminAsync(db, user.Id, time.GetUtcNow(), cancellationToken))
        {
            return new AdminOutcome.Conflict(UserAdministration.LastAdminDetail);
        }

        if (changed.Count == 0 && wanted is null)
        {
            return new AdminOutcome.Done(await directory.ViewAsync(user, cancellationToken));
        }

        if (!await SaveAsync(user, changed, current, wanted, cancellationToken))
        {
            return new AdminOutcome.Conflict(TakenDetail);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(await directory.ViewAsync(user, cancellationToken));
    }

    /// <summary>Sets the username and email the request changes; returns which changed, and adds what is wrong to <paramref name="errors"/>.</summary>
    private List<string> SetFields(User user, UpdateUserRequest request, Dictionary<string, List<string>> errors)
    {
        var changed = new List<string>();
        if (request.Username is not null)
        {
            var name = request.Username.Trim();
            if (name.Length == 0)
            {
                Add(errors, "username", "Username is required.");
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
                Add(errors, "email", EmailRequired);
            }
            else if (!string.Equals(email, user.Email, StringComparison.Ordinal))
            {
                user.Email = email;
                user.NormalizedEmail = users.NormalizeEmail(email);
                changed.Add("email");
            }
        }

        return changed;
    }

    /// <summary>The new set of roles, sorted; null when it is the current one. Unknown roles go to <paramref name="errors"/>.</summary>
    private async Task<List<string>?> WantedRolesAsync(
        IReadOnlyList<string> requested, List<string> current, Dictionary<string, List<string>> errors, CancellationToken cancellationToken)
    {
        var known = await db.Roles.Select(r => r.Name!).ToListAsync(cancellationToken);
        foreach (var unknown in requested.Where(r => !known.Contains(r, StringComparer.Ordinal)).Distinct())
        {
            Add(errors, "roles", $"'{unknown}' is not a role; the roles are: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }

        List<string> wanted = [.. requested.Distinct().Order(StringComparer.Ordinal)];
        return wanted.SequenceEqual(current) ? null : wanted;
    }

    /// <summary>Runs the user validators on the changed fields; whether the new username or email is taken.</summary>
    private async Task<bool> ValidateChangedAsync(User user, Dictionary<string, List<string>> errors)
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
                    Add(errors, error.Code.Contains("Email", StringComparison.Ordinal) ? "email" : "username", error.Description);
                }
            }
        }

        return duplicate;
    }

    /// <summary>The new fields, the roles, the rotated stamp and the events, in one save; false when the name was taken meanwhile.</summary>
    private async Task<bool> SaveAsync(User user, List<string> changed, List<string> current, List<string>? wanted, CancellationToken cancellationToken)
    {
        if (changed.Count > 0)
        {
            audit.AddTo(db, AuditActions.UserUpdated, user, $"changed: {string.Join(", ", changed)}");
        }

        if (wanted is not null)
        {
            audit.AddTo(db, AuditActions.RolesChanged, user, $"roles: [{string.Join(", ", current)}] -> [{string.Join(", ", wanted)}]");
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
            saved = await users.UpdateSecurityStampAsync(user);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another change took the name between the validator and the save; the unique index decided.
            return false;
        }

        if (saved.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
        {
            return false;
        }

        IdentityChecks.Check(saved);
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        return true;
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message) =>
        (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
}
