using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Tokens;

/// <summary>
/// Username and password to an account, or nothing. Every failure — unknown user, wrong password, locked
/// account, corrupt or missing hash — looks and costs the same from outside: one bcrypt verification (on the
/// password threads) and a refusal.
/// </summary>
public sealed class CredentialCheck(
    UserManager<User> users, FailedLoginCounter failures, UserServicesDbContext db, PasswordWork passwords, AuditLog audit, TimeProvider time,
    ILogger<CredentialCheck> logger)
{
    private static readonly CredentialOutcome Refused = new CredentialOutcome.Refused();
    private static readonly CredentialOutcome Busy = new CredentialOutcome.Busy();
    private static readonly CredentialOutcome LockedOut = new CredentialOutcome.Refused(LockedOut: true);

    public async Task<CredentialOutcome> CheckAsync(string userName, string password, CancellationToken cancellationToken)
    {
        try
        {
            return await CheckOnceAsync(userName, password, cancellationToken);
        }
        finally
        {
            // The lockout counter and the rehash are saved through Identity, which reports a lost concurrency race
            // as a failed result and leaves the entity modified. Nothing of it may ride along with the next save
            // of this request (the refresh token) and turn a login into a 500.
            db.ChangeTracker.Clear();
        }
    }

    private async Task<CredentialOutcome> CheckOnceAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null || string.IsNullOrEmpty(user.PasswordHash))
        {
            // No account, or one without a password (an imported row whose hash was not bcrypt): same cost as a real check.
            if (!await passwords.TrySpendAsDummyAsync(password, cancellationToken))
            {
                return Busy;
            }

            await audit.WriteNowAsync(AuditActions.LoginFailed, user?.Id, user?.UserName ?? userName, user is null ? "unknown username" : "no password set");
            return Refused;
        }

        if (await users.IsLockedOutAsync(user))
        {
            if (!await passwords.TrySpendAsDummyAsync(password, cancellationToken))
            {
                return Busy;
            }

            logger.LogWarning("Login refused: account {UserId} is locked out until {LockoutEnd:O}.", user.Id, user.LockoutEnd);
            await audit.WriteNowAsync(AuditActions.LoginLockedOut, user);
            return LockedOut;
        }

        if (await passwords.VerifyAsync(user, password, cancellationToken) == PasswordVerdict.Busy)
        {
            return Busy;
        }

        // Uses the verification just made (and the upgraded hash, when the stored cost is below the work factor).
        if (await users.CheckPasswordAsync(user, password))
        {
            if (user.AccessFailedCount > 0)
            {
                await users.ResetAccessFailedCountAsync(user);
            }

            // One statement, no concurrency stamp: concurrent logins of one account must not fail each other.
            var now = time.GetUtcNow().UtcDateTime;
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastLoginAt, now), cancellationToken);
            return new CredentialOutcome.Verified(user);
        }

        var locked = await failures.CountAsync(user, cancellationToken);
        await audit.WriteNowAsync(AuditActions.LoginFailed, user, "wrong password");
        if (locked)
        {
            logger.LogWarning("Account {UserId} locked out until {LockoutEnd:O} after repeated failed logins.", user.Id, user.LockoutEnd);
            await audit.WriteNowAsync(AuditActions.AccountLocked, user, $"by the lockout policy until {user.LockoutEnd:O}");
        }

        return Refused;
    }
}
