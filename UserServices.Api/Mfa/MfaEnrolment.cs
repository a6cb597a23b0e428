using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Mfa;
using UserServices.Data.Users;

namespace UserServices.Api.Mfa;

/// <summary>
/// The signed-in user's own two-factor sign-in: an authenticator enrolled and confirmed, recovery codes replaced, all
/// of it turned off. Each change commits with its audit event; a refused one writes nothing but the failure count.
/// </summary>
public sealed class MfaEnrolment(
    UserServicesDbContext db,
    UserManager<User> users,
    CurrentAccount current,
    PasswordConfirmation confirmation,
    SecondFactors factors,
    TotpSecretCipher cipher,
    SessionStore sessions,
    FailedLoginCounter failures,
    AuditLog audit,
    IOptions<MfaOptions> options,
    TimeProvider time)
{
    public const string WrongCode = "The code is wrong, expired or already used.";
    public const string AlreadyOn = "Two-factor sign-in is already on; turn it off first to enrol another authenticator.";
    public const string NotOn = "Two-factor sign-in is not on for this account.";

    /// <summary>A new pending secret, replacing any earlier pending one; nothing changes at sign-in until it is confirmed.</summary>
    public async Task<(AccountOutcome Outcome, TotpEnrolment? Enrolment)> BeginAsync(BeginTotpRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Password))
        {
            return (new AccountOutcome.Invalid("password", "The password is required."), null);
        }

        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return (new AccountOutcome.Gone(), null);
        }

        if (user.TwoFactorEnabled)
        {
            return (new AccountOutcome.Conflict(AlreadyOn), null);
        }

        switch (await confirmation.CheckAsync(user, request.Password, "enrolling an authenticator", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return (new AccountOutcome.Busy(), null);
            case PasswordVerdict.DoesNotMatch:
                return (new AccountOutcome.Invalid("password", PasswordConfirmation.WrongPassword), null);
        }

        var secret = TotpCodes.NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TotpAuthenticators.Where(a => a.UserId == user.Id && a.ConfirmedAt == null).ExecuteDeleteAsync(cancellationToken);
        db.TotpAuthenticators.Add(new TotpAuthenticator
        {
            UserId = user.Id,
            EncryptedSecret = cipher.Encrypt(user.Id, secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (AccountOutcome.Completed, new TotpEnrolment(TotpCodes.Base32(secret), TotpCodes.OtpAuthUri(options.Value.Issuer, user.UserName ?? "", secret)));
    }

    /// <summary>
    /// The first code of the pending authenticator turns two-factor sign-in on: the code counts as used, ten recovery
    /// codes are made, and every other session of the account ends (each was signed in with one factor).
    /// </summary>
    public async Task<(AccountOutcome Outcome, RecoveryCodeList? Codes)> ConfirmAsync(MfaCodeRequest request, Guid? currentSession, CancellationToken cancellationToken)
    {
        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return (new AccountOutcome.Gone(), null);
        }

        if (user.TwoFactorEnabled)
        {
            return (new AccountOutcome.Conflict(AlreadyOn), null);
        }

        // Not counted towards lockout: the caller was just shown this secret, so a wrong code here guesses nothing.
        if (await factors.MatchTotpAsync(user.Id, request.Code, pending: true, cancellationToken) is not { } step)
        {
            return (new AccountOutcome.Invalid("code", WrongCode), null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (!await factors.AcceptStepAsync(user.Id, step, cancellationToken)
            || await db.Users.Where(u => u.Id == user.Id && !u.TwoFactorEnabled)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, true), cancellationToken) == 0)
        {
            return (new AccountOutcome.Invalid("code", WrongCode), null);
        }

        await db.TotpAuthenticators.Where(a => a.UserId == user.Id).ExecuteUpdateAsync(a => a.SetProperty(x => x.ConfirmedAt, now), cancellationToken);
        var codes = await factors.ReplaceRecoveryCodesAsync(user.Id, cancellationToken);
        var ended = await sessions.EndAllAsync(user.Id, currentSession, SessionEndCause.MfaChanged, cancellationToken);
        audit.AddTo(db, AuditActions.MfaEnabled, user, $"authenticator app; {ended} other session(s) ended");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (AccountOutcome.Completed, new RecoveryCodeList(codes));
    }

    public async Task<MfaStatus?> StatusAsync(CancellationToken cancellationToken)
    {
        if (current.Account is not { } account)
        {
            return null;
        }

        var on = await db.Users.Where(u => u.Id == account.Id).Select(u => u.TwoFactorEnabled).SingleOrDefaultAsync(cancellationToken);
        return new MfaStatus(on, on ? await factors.RecoveryCodesLeftAsync(account.Id, cancellationToken) : 0);
    }

    /// <summary>Ten new recovery codes for a current code; the old ones stop working.</summary>
    public async Task<(AccountOutcome Outcome, RecoveryCodeList? Codes)> RegenerateAsync(MfaCodeRequest request, CancellationToken cancellationToken)
    {
        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return (new AccountOutcome.Gone(), null);
        }

        if (!user.TwoFactorEnabled)
        {
            return (new AccountOutcome.Conflict(NotOn), null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await TakeCodeAsync(user, request.Code, "regenerating recovery codes", cancellationToken))
        {
            return (new AccountOutcome.Invalid("code", WrongCode), null);
        }

        var codes = await factors.ReplaceRecoveryCodesAsync(user.Id, cancellationToken);
        audit.AddTo(db, AuditActions.MfaRecoveryCodesRegenerated, user);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (AccountOutcome.Completed, new RecoveryCodeList(codes));
    }

    /// <summary>Off, for the password and a current code: the secret and the recovery codes are deleted.</summary>
    public async Task<AccountOutcome> DisableAsync(DisableTotpRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Password) || string.IsNullOrEmpty(request.Code))
        {
            var missing = new Dictionary<string, string[]>();
            if (string.IsNullOrEmpty(request.Password))
            {
                missing["password"] = ["The password is required."];
            }

            if (string.IsNullOrEmpty(request.Code))
            {
                missing["code"] = ["The code is required."];
            }

            return new AccountOutcome.Invalid(missing);
        }

        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return new AccountOutcome.Gone();
        }

        if (!user.TwoFactorEnabled)
        {
            return new AccountOutcome.Conflict(NotOn);
        }

        switch (await confirmation.CheckAsync(user, request.Password, "turning two-factor sign-in off", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return new AccountOutcome.Busy();
            case PasswordVerdict.DoesNotMatch:
                return new AccountOutcome.Invalid("password", PasswordConfirmation.WrongPassword);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await TakeCodeAsync(user, request.Code, "turning two-factor sign-in off", cancellationToken))
        {
            return new AccountOutcome.Invalid("code", WrongCode);
        }

        await factors.RemoveAllAsync(user.Id, cancellationToken);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, false), cancellationToken);
        audit.AddTo(db, AuditActions.MfaDisabled, user, "by the account's owner");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AccountOutcome.Completed;
    }

    /// <summary>
    /// A current code of the confirmed authenticator, taken (its step moved on) inside the caller's transaction; a
    /// wrong one counts towards lockout. False for a wrong or already used code, with the transaction rolled back.
    /// </summary>
    private async Task<bool> TakeCodeAsync(User user, string? code, string operation, CancellationToken cancellationToken)
    {
        if (await factors.MatchTotpAsync(user.Id, code, pending: false, cancellationToken) is { } step
            && await factors.AcceptStepAsync(user.Id, step, cancellationToken))
        {
            return true;
        }

        await db.Database.RollbackTransactionAsync(cancellationToken);
        await failures.WrongPasswordAsync(user, AuditActions.PasswordCheckFailed, $"wrong one-time code for {operation}", cancellationToken);
        return false;
    }
}
