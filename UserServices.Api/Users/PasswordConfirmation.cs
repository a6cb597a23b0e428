using Microsoft.AspNetCore.Identity;
using UserServices.Api.Passwords;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>
/// The signed-in user's password, asked again before a change that matters (closing the account, a new email).
/// A wrong one counts towards lockout, so these endpoints cannot be used to guess it.
/// </summary>
public sealed class PasswordConfirmation(UserManager<User> users, PasswordWork passwords)
{
    public async Task<PasswordVerdict> CheckAsync(User user, string password, CancellationToken cancellationToken)
    {
        var verdict = password.Length > PasswordLimits.MaxFieldLength
            ? PasswordVerdict.DoesNotMatch
            : await passwords.VerifyAsync(user, password, cancellationToken, upgrade: false);
        if (verdict == PasswordVerdict.DoesNotMatch)
        {
            await users.AccessFailedAsync(user);
        }

        return verdict;
    }
}
