using System.Text;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>
/// Every bcrypt a request needs, run on the <see cref="PasswordWorkers"/> and returned as a value for the caller to
/// assign or act on: a hash, a verdict. When the password threads are saturated nothing is done, and the caller
/// answers 503 with Retry-After.
/// </summary>
public sealed class PasswordWork(PasswordWorkers workers, BcryptPasswordHasher hasher)
{
    /// <summary>
    /// Verifies <paramref name="password"/> against the user's stored hash. A user without one costs a dummy
    /// verification, so the answer takes as long as a real one.
    /// </summary>
    public async Task<PasswordVerdict> VerifyAsync(User user, string password, CancellationToken cancellationToken) =>
        (await CheckAsync(user, password, upgrade: false, cancellationToken)).Verdict;

    /// <summary>
    /// <see cref="VerifyAsync"/> for a login: a right password whose stored hash is cheaper than the configured cost
    /// also gets its new hash, made on the same password thread, for the caller to store.
    /// </summary>
    public Task<PasswordCheck> VerifyForLoginAsync(User user, string password, CancellationToken cancellationToken) =>
        CheckAsync(user, password, upgrade: true, cancellationToken);

    /// <summary>One verification's worth of work for a login that has nothing to verify against (see CredentialCheck).</summary>
    public async Task<bool> TrySpendAsDummyAsync(string password, CancellationToken cancellationToken)
    {
        var work = workers.TryRun(
            () =>
            {
                hasher.VerifyAgainstDummy(password);
                return true;
            },
            cancellationToken);
        return work is not null && await work;
    }

    /// <summary>
    /// The hash of a new password, for the caller to store; null when the password threads are busy. Call it after
    /// the password policy accepted the password (which refuses what bcrypt cannot take).
    /// </summary>
    public async Task<string?> HashAsync(string password, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(password) > BcryptPasswordHasher.MaxPasswordBytes)
        {
            throw new ArgumentException("The password policy must refuse a password bcrypt cannot take before it is hashed.", nameof(password));
        }

        var work = workers.TryRun(() => hasher.Hash(password), cancellationToken);
        return work is null ? null : await work;
    }

    private async Task<PasswordCheck> CheckAsync(User user, string password, bool upgrade, CancellationToken cancellationToken)
    {
        if (user.PasswordHash is not { } hash)
        {
            return new PasswordCheck(await TrySpendAsDummyAsync(password, cancellationToken) ? PasswordVerdict.DoesNotMatch : PasswordVerdict.Busy);
        }

        var work = workers.TryRun(
            () =>
            {
                var verified = hasher.Verify(password, hash);
                return new PasswordCheck(
                    verified ? PasswordVerdict.Matches : PasswordVerdict.DoesNotMatch,
                    upgrade && verified && hasher.NeedsRehash(hash) ? hasher.Hash(password) : null);
            },
            cancellationToken);
        return work is null ? new PasswordCheck(PasswordVerdict.Busy) : await work;
    }
}
