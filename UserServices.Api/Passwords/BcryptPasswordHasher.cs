using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>
/// bcrypt instead of Identity's PBKDF2, so the hashes the Python service wrote (passlib, <c>$2b$12$</c>) verify as
/// they are. Hashes below the configured cost verify as <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>
/// and Identity rewrites them on the next successful login.
/// </summary>
public sealed class BcryptPasswordHasher : IPasswordHasher<User>
{
    /// <summary>bcrypt reads only this many bytes; longer passwords are refused, never truncated (CVE-2025-22228).</summary>
    public const int MaxPasswordBytes = 72;

    private readonly IBcrypt _bcrypt;
    private readonly int _workFactor;
    private readonly int _priorityBoost;
    private readonly Lazy<string> _dummyHash;

    public BcryptPasswordHasher(IBcrypt bcrypt, IOptions<PasswordHashingOptions> options)
    {
        _bcrypt = bcrypt;
        _workFactor = options.Value.WorkFactor;
        _priorityBoost = options.Value.PriorityBoost;
        // Made on first use, not at start: one hash at cost 12 takes a quarter of a second.
        _dummyHash = new Lazy<string>(() => _bcrypt.Hash(Guid.NewGuid().ToString(), _workFactor));
    }

    public string Backend => _bcrypt.Name;

    public string HashPassword(User user, string password)
    {
        if (Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
        {
            throw new ArgumentException($"Passwords longer than {MaxPasswordBytes} UTF-8 bytes cannot be hashed with bcrypt.", nameof(password));
        }

        using var raised = CpuPriority.Raise(_priorityBoost);
        return _bcrypt.Hash(password, _workFactor);
    }

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        if (!Verify(providedPassword, hashedPassword))
        {
            return PasswordVerificationResult.Failed;
        }

        return BCrypt.Net.BCrypt.PasswordNeedsRehash(hashedPassword, _workFactor)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
    }

    /// <summary>
    /// Spends what a real verification spends, for logins that have no account to check (unknown user, locked
    /// account), so the response time does not tell them apart from a wrong password.
    /// </summary>
    public void VerifyAgainstDummy(string providedPassword) => Verify(providedPassword, _dummyHash.Value);

    private bool Verify(string providedPassword, string hashedPassword)
    {
        // bcrypt reads only the first 72 bytes; a longer password must never match a shorter one's hash.
        if (Encoding.UTF8.GetByteCount(providedPassword) > MaxPasswordBytes || !hashedPassword.StartsWith("$2", StringComparison.Ordinal))
        {
            return false;
        }

        using var raised = CpuPriority.Raise(_priorityBoost);
        // A corrupt stored hash computes to null: a failed login, not a server error.
        var computed = _bcrypt.Compute(providedPassword, hashedPassword);
        return computed is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(hashedPassword));
    }
}
