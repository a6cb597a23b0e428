using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>
/// bcrypt instead of Identity's PBKDF2, so the hashes the Python service wrote (passlib, <c>$2b$12$</c>) verify as
/// they are. Hashes below the configured cost verify as <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>.
/// Requests never call it directly: <see cref="PasswordWork"/> runs it on the password threads, and Identity gets
/// it only through <see cref="OffRequestPasswordHasher"/>, which refuses to hash on a request.
/// </summary>
public sealed class BcryptPasswordHasher : IPasswordHasher<User>
{
    /// <summary>bcrypt reads only this many bytes; longer passwords are refused, never truncated (CVE-2025-22228).</summary>
    public const int MaxPasswordBytes = 72;

    private readonly IBcrypt _bcrypt;
    private readonly int _workFactor;
    private readonly Lazy<string> _dummyHash;

    public BcryptPasswordHasher(IBcrypt bcrypt, IOptions<PasswordHashingOptions> options)
    {
        _bcrypt = bcrypt;
        _workFactor = options.Value.WorkFactor;
        // Made on a password thread once the host starts (see PasswordWorkers.StartAsync), not in the constructor:
        // one hash at cost 12 takes a quarter of a second.
        // PublicationOnly: a failure is tried again on the next use rather than remembered for the process's life.
        _dummyHash = new Lazy<string>(() => _bcrypt.Hash(Guid.NewGuid().ToString(), _workFactor), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>Makes the dummy hash now, so the first login of an unknown user costs what every later one does.</summary>
    public bool Warm() => _dummyHash.Value.Length > 0;

    public string HashPassword(User user, string password) => Hash(password);

    /// <summary>A new hash at the configured cost; more than 72 bytes is refused (the policy refuses it first).</summary>
    public string Hash(string password)
    {
        if (Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
        {
            throw new ArgumentException($"Passwords longer than {MaxPasswordBytes} UTF-8 bytes cannot be hashed with bcrypt.", nameof(password));
        }

        return _bcrypt.Hash(password, _workFactor);
    }

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        if (!Verify(providedPassword, hashedPassword))
        {
            return PasswordVerificationResult.Failed;
        }

        return NeedsRehash(hashedPassword)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
    }

    /// <summary>Whether a hash that verified is cheaper than the configured cost, and so is to be rewritten.</summary>
    public bool NeedsRehash(string hashedPassword) => BCrypt.Net.BCrypt.PasswordNeedsRehash(hashedPassword, _workFactor);

    /// <summary>
    /// Spends what a real verification spends, for logins that have no account to check (unknown user, locked
    /// account), so the response time does not tell them apart from a wrong password.
    /// </summary>
    public void VerifyAgainstDummy(string providedPassword) => Verify(providedPassword, _dummyHash.Value);

    /// <summary>The bcrypt part of <see cref="VerifyHashedPassword"/> alone, for <see cref="PasswordWork"/>.</summary>
    internal bool Verify(string providedPassword, string hashedPassword)
    {
        // bcrypt reads only the first 72 bytes; a longer password must never match a shorter one's hash.
        if (Encoding.UTF8.GetByteCount(providedPassword) > MaxPasswordBytes || !hashedPassword.StartsWith("$2", StringComparison.Ordinal))
        {
            return false;
        }

        // A corrupt stored hash computes to null: a failed login, not a server error.
        var computed = _bcrypt.Compute(providedPassword, hashedPassword);
        return computed is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(hashedPassword));
    }
}
