using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>
/// The signed-in user's password, asked again before a change that matters (a new password, closing the account,
/// a new email). A wrong one counts towards lockout, so these endpoints cannot be used to guess it, and is audited
/// as a <c>password.check_failed</c> naming the operation (and <c>account.locked</c> when it is the one that locks).
/// </summary>
public sealed class PasswordConfirmation(PasswordWork passwords, FailedLoginCounter failures)
{
    /// <summary>What the endpoints that ask the password again say of a wrong one, under <c>password</c>.</summary>
    public const string WrongPassword = "The password is incorrect.";

    /// <param name="operation">What the password was asked for, for the audit event: "closing the account".</param>
    public async Task<PasswordVerdict> CheckAsync(User user, string password, string operation, CancellationToken cancellationToken)
    {
        var verdict = password.Length > PasswordLimits.MaxFieldLength
            ? PasswordVerdict.DoesNotMatch
            : await passwords.VerifyAsync(user, password, cancellationToken);
        if (verdict == PasswordVerdict.DoesNotMatch)
        {
            await failures.WrongPasswordAsync(user, AuditActions.PasswordCheckFailed, $"wrong password for {operation}", cancellationToken);
        }

        return verdict;
    }
}
