using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Clients;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Mfa;

/// <summary>
/// The second factor of a password sign-in: in the password grant itself (<c>otp</c>, or Keycloak's <c>totp</c>), or
/// as Auth0's second step (<c>mfa-otp</c>, <c>mfa-recovery-code</c> with the <c>mfa_token</c>). Every wrong code counts
/// towards lockout through <see cref="FailedLoginCounter"/>; a completed sign-in, and only that, resets the count.
/// </summary>
public sealed class MfaGrant(
    UserServicesDbContext db,
    SecondFactors factors,
    MfaChallenges challenges,
    TotpSecretCipher cipher,
    RefreshTokenStore refreshTokens,
    FailedLoginCounter failures,
    AuditLog audit,
    ServiceMetrics metrics,
    TimeProvider time)
{
    public const string WrongOtp = "The one-time code is wrong, expired or already used. (The password was not checked again.)";
    public const string WrongRecoveryCode = "The recovery code is wrong or already used.";
    public const string DeadToken = "The mfa_token is unknown, expired, already used, or has had too many wrong codes; sign in with the password again.";
    public const string OtherClientsToken = "The mfa_token was issued to another client.";

    /// <summary>
    /// After the right password of an account with two-factor sign-in on: with no <paramref name="code"/>, an
    /// <c>mfa_token</c> for the second step; with one, the sign-in completed or refused on it.
    /// </summary>
    public async Task<MfaOutcome> AfterPasswordAsync(
        User user, string clientId, string? scope, string? code, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (!cipher.IsConfigured)
        {
            return new MfaOutcome.NotConfigured();
        }

        if (string.IsNullOrEmpty(code))
        {
            metrics.RecordLogin(LoginResult.MfaRequired);
            return new MfaOutcome.Required(await challenges.StartAsync(user.Id, clientId, cancellationToken));
        }

        return await factors.MatchTotpAsync(user.Id, code, pending: false, cancellationToken) is { } step
            ? await CompleteAsync(user, challengeId: null, () => factors.AcceptStepAsync(user.Id, step, cancellationToken), AuthMethods.PasswordAndTotp,
                clientId, scope, origin, cancellationToken)
            : await WrongAsync(user, challengeId: null, WrongOtp, cancellationToken);
    }

    /// <summary>Auth0's second step: <paramref name="grant"/> is <see cref="GrantTypes.MfaOtp"/> or <see cref="GrantTypes.MfaRecoveryCode"/>.</summary>
    public async Task<MfaOutcome> SecondStepAsync(
        string grant, string? mfaToken, string? code, string clientId, string? scope, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var recovery = grant == GrantTypes.MfaRecoveryCode;
        var field = recovery ? "recovery_code" : "otp";
        if (string.IsNullOrEmpty(mfaToken) || string.IsNullOrEmpty(code))
        {
            return new MfaOutcome.InvalidRequest($"The '{(string.IsNullOrEmpty(mfaToken) ? "mfa_token" : field)}' field is required.");
        }

        if (await challenges.FindAsync(mfaToken, cancellationToken) is not { User: { } user } challenge)
        {
            return new MfaOutcome.InvalidToken(DeadToken);
        }

        if (challenge.ClientId != clientId)
        {
            return new MfaOutcome.InvalidToken(OtherClientsToken);
        }

        // As the password grant answers a locked account, whatever the state of the token: the lock is the account's.
        if (user.LockoutEnabled && user.LockoutEnd > time.GetUtcNow())
        {
            metrics.RecordLogin(LoginResult.LockedOut);
            await audit.WriteNowAsync(AuditActions.LoginLockedOut, user, "second factor");
            return new MfaOutcome.LockedOut();
        }

        if (!challenges.IsLive(challenge) || !user.TwoFactorEnabled)
        {
            return new MfaOutcome.InvalidToken(DeadToken);
        }

        if (recovery)
        {
            return await CompleteAsync(user, challenge.Id, () => factors.SpendRecoveryCodeAsync(user.Id, code, cancellationToken),
                AuthMethods.PasswordAndRecoveryCode, clientId, scope, origin, cancellationToken);
        }

        return await factors.MatchTotpAsync(user.Id, code, pending: false, cancellationToken) is { } step
            ? await CompleteAsync(user, challenge.Id, () => factors.AcceptStepAsync(user.Id, step, cancellationToken), AuthMethods.PasswordAndTotp,
                clientId, scope, origin, cancellationToken)
            : await WrongAsync(user, challenge.Id, WrongOtp, cancellationToken);
    }

    /// <summary>
    /// One transaction: the <c>mfa_token</c> spent (if any), the code taken (<paramref name="spend"/>: the step moved
    /// on, or the recovery code deleted), the failure count reset, and the session started with its <c>amr</c>. If the
    /// code was taken by someone else meanwhile, nothing of it stays and the attempt counts as a wrong code.
    /// </summary>
    private async Task<MfaOutcome> CompleteAsync(
        User user, long? challengeId, Func<Task<bool>> spend, string authMethods, string clientId, string? scope, RequestOrigin origin,
        CancellationToken cancellationToken)
    {
        var recovery = authMethods == AuthMethods.PasswordAndRecoveryCode;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (challengeId is { } id && !await challenges.SpendAsync(id, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                return new MfaOutcome.InvalidToken(DeadToken);
            }

            if (await spend())
            {
                await failures.SignedInAsync(user.Id, cancellationToken);
                int? left = null;
                if (recovery)
                {
                    left = await factors.RecoveryCodesLeftAsync(user.Id, cancellationToken);
                    audit.AddTo(db, AuditActions.MfaRecoveryCodeUsed, user, $"{left} left");
                    await db.SaveChangesAsync(cancellationToken);
                }

                var login = audit.Event(AuditActions.LoginSucceeded, user, $"client {clientId}, {(recovery ? "password + recovery code" : "password + one-time code")}");
                var session = await refreshTokens.IssueAsync(user, clientId, scope, login, origin, cancellationToken, authMethods);
                await transaction.CommitAsync(cancellationToken);
                metrics.RecordLogin(LoginResult.Succeeded);
                return new MfaOutcome.SignedIn(user, session, left);
            }

            await transaction.RollbackAsync(cancellationToken);
        }

        return await WrongAsync(user, challengeId, recovery ? WrongRecoveryCode : WrongOtp, cancellationToken);
    }

    /// <summary>A wrong code: counted on the <c>mfa_token</c> and towards lockout, audited as <c>login.mfa_failed</c>; answered as a wrong code even when it locks.</summary>
    private async Task<MfaOutcome> WrongAsync(User user, long? challengeId, string detail, CancellationToken cancellationToken)
    {
        if (challengeId is { } id)
        {
            await challenges.CountWrongAsync(id, cancellationToken);
        }

        await failures.WrongPasswordAsync(user, AuditActions.LoginMfaFailed, detail == WrongOtp ? "wrong one-time code" : "wrong recovery code", cancellationToken);
        metrics.RecordLogin(LoginResult.MfaFailed);
        return new MfaOutcome.WrongCode(detail);
    }
}
