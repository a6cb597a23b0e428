using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Mail;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Recovery;

/// <summary>A forgotten password: the reset link asked for, and the new password set with it.</summary>
public sealed class PasswordRecovery(
    UserServicesDbContext db,
    UserManager<User> users,
    MailDelivery mail,
    MailOutbox outbox,
    MailAddressThrottle throttle,
    AccountTokens tokens,
    PasswordPolicy policy,
    PasswordWork passwords,
    RefreshTokenStore refreshTokens,
    AuditLog audit,
    IOptions<LockoutPolicyOptions> lockout,
    TimeProvider time)
{
    /// <summary>Queues the reset mail; the same work for every address, whether or not an account has it.</summary>
    public async Task<AccountOutcome> ForgotAsync(ForgotPasswordRequest request, CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return new AccountOutcome.MailOff();
        }

        var email = request.Email?.Trim();
        if (RecoveryFields.EmailProblem(email, "email") is { } problem)
        {
            return new AccountOutcome.Invalid("email", problem);
        }

        using var perAddress = await throttle.AcquireAsync(email!, cancellationToken);
        if (!perAddress.IsAcquired)
        {
            return new AccountOutcome.Throttled(AuthRateLimiting.RetryAfter(perAddress));
        }

        // One row, one insert. Whether an account has the address is not asked here.
        outbox.Add(MailKind.PasswordReset, email!, userId: null);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return AccountOutcome.Completed;
    }

    public async Task<AccountOutcome> ResetAsync(ResetPasswordRequest request, CancellationToken cancellationToken)
    {
        if (Missing(request) is { Count: > 0 } missing)
        {
            return new AccountOutcome.Invalid(missing);
        }

        var found = await tokens.FindUsableAsync(request.Token, [TokenPurpose.PasswordReset], cancellationToken);
        var user = found is null ? null : await users.FindByIdAsync(found.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Minted against the stamp of its time: any password change since (another reset, PUT /user/password) ends it.
        if (found is null || user is null || found.StampDigest != SessionBinding.DigestOf(user.SecurityStamp))
        {
            return new AccountOutcome.InvalidToken();
        }

        if (policy.Problems(user, request.NewPassword!) is { Count: > 0 } problems)
        {
            // The token stays usable: the user may try a better password with the same link.
            return new AccountOutcome.Invalid(new Dictionary<string, string[]> { ["new_password"] = [.. problems.Distinct()] });
        }

        var hash = await passwords.HashAsync(request.NewPassword!, cancellationToken);
        if (hash is null)
        {
            return new AccountOutcome.Busy();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.TryUseAsync(found, cancellationToken))
        {
            return new AccountOutcome.InvalidToken();
        }

        await SaveNewPasswordAsync(user, hash, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AccountOutcome.Completed;
    }

    private static Dictionary<string, string[]> Missing(ResetPasswordRequest request)
    {
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Token))
        {
            missing["token"] = ["The 'token' field is required."];
        }

        if (string.IsNullOrEmpty(request.NewPassword))
        {
            missing["new_password"] = ["The 'new_password' field is required."];
        }

        return missing;
    }

    /// <summary>The new hash, the lockout the policy set lifted, a new stamp and the event, in one save; every session ended.</summary>
    private async Task SaveNewPasswordAsync(User user, string hash, CancellationToken cancellationToken)
    {
        user.PasswordHash = hash;
        user.AccessFailedCount = 0;
        // A lockout the policy set (never longer than Lockout:LockoutMinutes) ends with a reset; a longer one was an
        // admin's, and a reset link must not undo an admin's decision.
        var policyLockout = user.LockoutEnd is { } end && end <= time.GetUtcNow().AddMinutes(lockout.Value.LockoutMinutes);
        if (policyLockout)
        {
            user.LockoutEnd = null;
        }

        audit.AddTo(db, AuditActions.PasswordReset, user, policyLockout ? "by mailed link; sessions ended, lockout cleared" : "by mailed link; sessions ended");
        // A new stamp ends every access token (and refresh family) issued with the old one, as a password change
        // does; its save writes the hash and the event, in the transaction that uses the token.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            // Only a concurrent write to the same row gets here; the transaction rolls back and the token stays usable.
            throw new InvalidOperationException($"The password reset could not be saved: {string.Join(", ", saved.Errors.Select(e => e.Code))}.");
        }

        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
    }
}
