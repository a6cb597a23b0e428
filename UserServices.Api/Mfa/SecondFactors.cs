using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Data.Mfa;

namespace UserServices.Api.Mfa;

/// <summary>
/// An account's second factors in the database: its authenticator (read, and its last accepted step moved on) and
/// its recovery codes (spent, counted, replaced). Each use is one conditional statement, so of two requests with
/// the same code — on one replica or several — exactly one gets it.
/// </summary>
public sealed class SecondFactors(UserServicesDbContext db, TotpSecretCipher cipher, TimeProvider time)
{
    /// <summary>The step <paramref name="code"/> is for, if it is a current code of the account's authenticator (confirmed or, with <paramref name="pending"/>, not).</summary>
    public async Task<long?> MatchTotpAsync(int userId, string? code, bool pending, CancellationToken cancellationToken)
    {
        var authenticator = await db.TotpAuthenticators.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (authenticator is null || (authenticator.ConfirmedAt is null) != pending || cipher.Decrypt(userId, authenticator.EncryptedSecret) is not { } secret)
        {
            return null;
        }

        return TotpCodes.MatchingStep(secret, code, time.GetUtcNow()) is { } step && step > authenticator.LastUsedStep ? step : null;
    }

    /// <summary>
    /// RFC 6238 §5.2: a code is accepted once. The last accepted step moves on only if it is still before
    /// <paramref name="step"/>; false means another request took this code (or a later one) first.
    /// </summary>
    public async Task<bool> AcceptStepAsync(int userId, long step, CancellationToken cancellationToken) =>
        await db.TotpAuthenticators.Where(a => a.UserId == userId && a.LastUsedStep < step)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.LastUsedStep, step), cancellationToken) == 1;

    /// <summary>Deletes the recovery code if the account has it: true for the one request that spends it.</summary>
    public async Task<bool> SpendRecoveryCodeAsync(int userId, string code, CancellationToken cancellationToken)
    {
        if (code.Length > RecoveryCodeFormat.MaxLength)
        {
            return false;
        }

        var hash = RecoveryCodeFormat.Hash(code);
        return await db.RecoveryCodes.Where(c => c.UserId == userId && c.CodeHash == hash).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    public Task<int> RecoveryCodesLeftAsync(int userId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.CountAsync(c => c.UserId == userId, cancellationToken);

    /// <summary>Deletes the account's recovery codes and adds ten new ones to the context (the caller saves); returns them, to show once.</summary>
    public async Task<string[]> ReplaceRecoveryCodesAsync(int userId, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var codes = RecoveryCodeFormat.NewCodes();
        db.RecoveryCodes.AddRange(codes.Select(code => new RecoveryCode { UserId = userId, CodeHash = RecoveryCodeFormat.Hash(code), CreatedAt = now }));
        return codes;
    }

    /// <summary>Deletes the authenticator and the recovery codes (in the caller's transaction).</summary>
    public async Task RemoveAllAsync(int userId, CancellationToken cancellationToken)
    {
        await db.TotpAuthenticators.Where(a => a.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}
