using Microsoft.AspNetCore.Identity;
using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Api.Sessions;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>The bearer's new password: the current one confirmed, the new one within the policy, every session ended.</summary>
public sealed class PasswordChange(
    UserManager<User> users,
    UserServicesDbContext db,
    CurrentAccount current,
    PasswordConfirmation confirmation,
    PasswordPolicy policy,
    PasswordWork passwords,
    RefreshTokenStore refreshTokens,
    AuditLog audit)
{
    public const string WrongPassword = "The current password is incorrect.";

    public async Task<AccountOutcome> ChangeAsync(ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            var missing = new Dictionary<string, string[]>();
            if (string.IsNullOrEmpty(request.CurrentPassword))
            {
                missing["current_password"] = ["The current password is required."];
            }

            if (string.IsNullOrEmpty(request.NewPassword))
            {
                missing["new_password"] = ["The new password is required."];
            }

            return new AccountOutcome.Invalid(missing);
        }

        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return new AccountOutcome.Gone();
        }

        switch (await confirmation.CheckAsync(user, request.CurrentPassword, "changing the password", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return new AccountOutcome.Busy();
            case PasswordVerdict.DoesNotMatch:
                return new AccountOutcome.Invalid("current_password", WrongPassword);
        }

        // A new password the policy refuses is never hashed.
        if (policy.Problems(user, request.NewPassword) is { Count: > 0 } problems)
        {
            return new AccountOutcome.Invalid(new Dictionary<string, string[]> { ["new_password"] = [.. problems] });
        }

        user.PasswordHash = await passwords.HashAsync(request.NewPassword, cancellationToken);
        if (user.PasswordHash is null)
        {
            return new AccountOutcome.Busy();
        }

        // The new hash, the rotated stamp (every access token of the account stops) and the event, in one save.
        audit.AddTo(db, AuditActions.PasswordChanged, user);
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            return new AccountOutcome.Invalid(new Dictionary<string, string[]> { ["new_password"] = [.. saved.Errors.Select(e => e.Description)] });
        }

        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        return AccountOutcome.Completed;
    }
}
