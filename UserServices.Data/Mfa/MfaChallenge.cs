using UserServices.Data.Users;

namespace UserServices.Data.Mfa;

/// <summary>
/// An <c>mfa_token</c>: the right password of an account with two-factor sign-in on, waiting for its second factor.
/// Only the token's SHA-256 is stored. It belongs to one account and client, expires, is spent by the one
/// conditional UPDATE that completes the sign-in, and dies after <see cref="MaxFailedAttempts"/> wrong codes.
/// </summary>
public class MfaChallenge
{
    public const int MaxFailedAttempts = 5;
    public const int MaxClientIdLength = 256;

    public long Id { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    public int UserId { get; set; }

    public User? User { get; set; }

    /// <summary>The client the password was given to; only it may complete the sign-in.</summary>
    public required string ClientId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Wrong codes presented with it; at <see cref="MaxFailedAttempts"/> it no longer works.</summary>
    public int FailedAttempts { get; set; }

    /// <summary>UTC, when a second step completed the sign-in with it; null while unused.</summary>
    public DateTime? UsedAt { get; set; }
}
