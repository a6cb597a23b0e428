using Microsoft.AspNetCore.Identity;
using UserServices.Api.Passwords;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Tokens;

/// <summary>
/// Username and password to an account, or nothing. Every failure — unknown user, wrong password, locked
/// account, corrupt or missing hash — looks and costs the same from outside: one bcrypt verification and a null.
/// </summary>
public sealed class CredentialCheck(UserManager<User> users, UserServicesDbContext db, BcryptPasswordHasher hasher, ILogger<CredentialCheck> logger)
{
    public async Task<User?> FindAccountAsync(string userName, string password)
    {
        try
        {
            return await CheckAsync(userName, password);
        }
        finally
        {
            // The lockout counter and the rehash are saved through Identity, which reports a lost concurrency race
            // as a failed result and leaves the entity modified. Nothing of it may ride along with the next save
            // of this request (the refresh token) and turn a login into a 500.
            db.ChangeTracker.Clear();
        }
    }

    private async Task<User?> CheckAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null || string.IsNullOrEmpty(user.PasswordHash))
        {
            // No account, or one without a password (an imported row whose hash was not bcrypt): same cost as a real check.
            hasher.VerifyAgainstDummy(password);
            return null;
        }

        if (await users.IsLockedOutAsync(user))
        {
            hasher.VerifyAgainstDummy(password);
            logger.LogWarning("Login refused: account {UserId} is locked out until {LockoutEnd:O}.", user.Id, user.LockoutEnd);
            return null;
        }

        // Also rewrites the hash when the stored cost is below the configured work factor (SuccessRehashNeeded).
        if (await users.CheckPasswordAsync(user, password))
        {
            if (user.AccessFailedCount > 0)
            {
                await users.ResetAccessFailedCountAsync(user);
            }

            return user;
        }

        await users.AccessFailedAsync(user);
        if (await users.IsLockedOutAsync(user))
        {
            logger.LogWarning("Account {UserId} locked out until {LockoutEnd:O} after repeated failed logins.", user.Id, user.LockoutEnd);
        }

        return null;
    }
}
