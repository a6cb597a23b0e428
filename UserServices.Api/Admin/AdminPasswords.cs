using System.Globalization;
using Microsoft.AspNetCore.Identity;
using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Api.Sessions;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

/// <summary>An operator sets an account's password: within the policy, hashed on the password threads, every session ended.</summary>
public sealed class AdminPasswords(
    UserServicesDbContext db, UserManager<User> users, PasswordPolicy policy, PasswordWork passwords, RefreshTokenStore refreshTokens, AuditLog audit)
{
    public const string RequiredProblem = "The new password is required.";

    public async Task<AdminOutcome> SetAsync(int id, string? password, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return new AdminOutcome.NotFound();
        }

        var problems = new List<string>();
        if (string.IsNullOrEmpty(password))
        {
            problems.Add(RequiredProblem);
        }
        else if (password.Length > PasswordLimits.MaxFieldLength)
        {
            problems.Add($"The new password must be at most {PasswordLimits.MaxFieldLength} characters.");
        }
        else
        {
            problems.AddRange(policy.Problems(user, password));
        }

        if (problems.Count > 0)
        {
            return new AdminOutcome.Invalid(new Dictionary<string, string[]> { ["new_password"] = [.. problems.Distinct()] });
        }

        // The bcrypt on the password threads.
        var hash = await passwords.HashAsync(password!, cancellationToken);
        if (hash is null)
        {
            return new AdminOutcome.Busy();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.PasswordHash = hash;
        audit.AddTo(db, AuditActions.PasswordSetByAdmin, user);
        IdentityChecks.Check(await users.UpdateSecurityStampAsync(user));
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminOutcome.Done(null);
    }
}
