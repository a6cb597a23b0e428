using UserServices.Data.Users;

namespace UserServices.Data.Mail;

/// <summary>
/// A token mailed to a user (a password reset or an email confirmation link). Only its SHA-256 is stored; it is
/// single-use, bound to its account and purpose, and replaced by a newer one of the same purpose.
/// </summary>
public class AccountToken
{
    public long Id { get; set; }

    public int UserId { get; set; }

    public User? User { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>What the token may do (see the Api's <c>TokenPurpose</c>); a token of one purpose is unknown to the others.</summary>
    public required string Purpose { get; set; }

    /// <summary>The address the token proves: the account's own for a confirmation, the new one for an email change.</summary>
    public string? Email { get; set; }

    /// <summary>Digest of the user's security stamp when the token was minted: a password change by any path ends a reset token.</summary>
    public required string StampDigest { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>When it was used, or replaced by a newer token of its purpose.</summary>
    public DateTime? UsedAt { get; set; }
}
