using System.Text;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>
/// The bcrypt of a request, done ahead on the <see cref="PasswordWorkers"/> and offered to Identity through
/// <see cref="PrecomputedPasswordWork"/>. When the password threads are saturated nothing is done, and the caller
/// answers 503 with Retry-After.
/// </summary>
public sealed class PasswordWork(PasswordWorkers workers, BcryptPasswordHasher hasher)
{
    /// <summary>
    /// Verifies <paramref name="password"/> against the user's stored hash, and computes the upgraded hash when the
    /// stored one is cheaper than the configured cost, so that Identity's <c>CheckPasswordAsync</c> or
    /// <c>ChangePasswordAsync</c> that follows costs no bcrypt of its own.
    /// </summary>
    /// <param name="upgrade">Also compute the upgraded hash of a cheaper stored one (a login); a password change,
    /// which replaces the hash anyway, does not need it.</param>
    public Task<PasswordVerdict> VerifyAsync(User user, string password, CancellationToken cancellationToken, bool upgrade = true) =>
        user.PasswordHash is { } hash
            ? VerifyAsync(PrecomputedPasswordWork.Box(), user, hash, password, upgrade, cancellationToken)
            : SpendAsDummyAsync(password, cancellationToken);

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

    /// <summary>Hashes a new password ahead of <c>CreateAsync</c>/<c>ChangePasswordAsync</c>; false when busy.</summary>
    public Task<bool> TryHashAsync(User user, string password, CancellationToken cancellationToken) =>
        // Too long for bcrypt: the password policy refuses it before Identity would hash it, so there is nothing to do.
        Encoding.UTF8.GetByteCount(password) > BcryptPasswordHasher.MaxPasswordBytes
            ? Task.FromResult(true)
            : HashAsync(PrecomputedPasswordWork.Box(), user, password, cancellationToken);

    private async Task<PasswordVerdict> SpendAsDummyAsync(string password, CancellationToken cancellationToken) =>
        await TrySpendAsDummyAsync(password, cancellationToken) ? PasswordVerdict.DoesNotMatch : PasswordVerdict.Busy;

    private async Task<PasswordVerdict> VerifyAsync(
        PrecomputedPasswordWork.Holder box, User user, string hash, string password, bool upgrade, CancellationToken cancellationToken)
    {
        var work = workers.TryRun(
            () =>
            {
                var verified = hasher.Verify(password, hash);
                return (verified, newHash: upgrade && verified && hasher.NeedsRehash(hash) ? hasher.HashPassword(user, password) : null);
            },
            cancellationToken);
        if (work is null)
        {
            return PasswordVerdict.Busy;
        }

        var (verified, newHash) = await work;
        box.Verification = (password, hash, verified);
        box.NewHash = newHash is null ? box.NewHash : (password, newHash);
        return verified ? PasswordVerdict.Matches : PasswordVerdict.DoesNotMatch;
    }

    private async Task<bool> HashAsync(PrecomputedPasswordWork.Holder box, User user, string password, CancellationToken cancellationToken)
    {
        var work = workers.TryRun(() => hasher.HashPassword(user, password), cancellationToken);
        if (work is null)
        {
            return false;
        }

        box.NewHash = (password, await work);
        return true;
    }
}
