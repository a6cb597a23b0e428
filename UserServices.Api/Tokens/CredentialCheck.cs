using System.Security.Cryptography;
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
    UserManager<User> users, FailedLoginCounter failures, UserServicesDbContext db, PasswordWork passwords, AuditLog audit,
    ILogger<CredentialCheck> logger)
{
    private static readonly CredentialOutcome Refused = new CredentialOutcome.Refused();
    private static readonly CredentialOutcome Busy = new CredentialOutcome.Busy();
    private static readonly CredentialOutcome LockedOut = new CredentialOutcome.Refused(LockedOut: true);

    public async Task<CredentialOutcome> CheckAsync(string userName, string password, CancellationToken cancellationToken)
    {
        // Not tracked: every write of a login is one statement of its own, so nothing of it can ride along with the
        // session's save that follows (or fail it).
        var normalized = users.NormalizeName(userName);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
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

        var check = await passwords.VerifyForLoginAsync(user, password, cancellationToken);
        switch (check.Verdict)
        {
            case PasswordVerdict.Busy:
                return Busy;
            case PasswordVerdict.DoesNotMatch:
                await failures.WrongPasswordAsync(user, AuditActions.LoginFailed, "wrong password", cancellationToken);
                return Refused;
        }

        // With two-factor sign-in on, the password alone is half a sign-in: the count (of wrong passwords and codes)
        // is reset, and the login stamped, only when the second factor completes it.
        if (!user.TwoFactorEnabled)
        {
            await failures.SignedInAsync(user.Id, cancellationToken);
        }

        if (check.UpgradedHash is { } upgraded)
        {
            await UpgradeHashAsync(user, upgraded, cancellationToken);
        }

        return new CredentialOutcome.Verified(user);
    }

    /// <summary>
    /// Stores the hash made at the configured cost in place of a cheaper one, with a new security stamp as Identity's
    /// own rehash does. Only over the hash just verified: of two logins racing, the first one's upgrade stands.
    /// </summary>
    private async Task UpgradeHashAsync(User user, string upgraded, CancellationToken cancellationToken)
    {
        var stamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var verified = user.PasswordHash;
        if (await db.Users.Where(u => u.Id == user.Id && u.PasswordHash == verified).ExecuteUpdateAsync(
                u => u.SetProperty(x => x.PasswordHash, upgraded).SetProperty(x => x.SecurityStamp, stamp)
                    .SetProperty(x => x.ConcurrencyStamp, Guid.NewGuid().ToString()),
                cancellationToken) == 1)
        {
            user.PasswordHash = upgraded;
            user.SecurityStamp = stamp;
        }
        else
        {
            // Another login upgraded it first: its stamp is the one the session must carry.
            user.SecurityStamp = await db.Users.Where(u => u.Id == user.Id).Select(u => u.SecurityStamp).SingleAsync(cancellationToken);
        }
    }
}
