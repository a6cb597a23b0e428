using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserServices.Data.Users;

namespace UserServices.Data.Tokens;

/// <summary>
/// One refresh token of a family (the chain of rotations that started with one password login). Only the
/// SHA-256 of the token is stored; the token itself exists only in the client's hands.
/// </summary>
public class RefreshToken
{
    public long Id { get; set; }

    public int UserId { get; set; }

    public User? User { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The session (<see cref="Sessions.Session.Id"/>) this token is one rotation of.</summary>
    public Guid FamilyId { get; set; }

    public Sessions.Session? Session { get; set; }

    public DateTime IssuedAt { get; set; }

    /// <summary>Idle expiry: this token is dead if not used by then.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>Absolute expiry of the whole family, carried over on every rotation.</summary>
    public DateTime FamilyExpiresAt { get; set; }

    /// <summary>When it was exchanged for its successor; a second use after this is reuse.</summary>
    public DateTime? UsedAt { get; set; }

    public long? ReplacedById { get; set; }

    /// <summary>
    /// The successor token itself, encrypted under a key derived from THIS token, so only a client presenting this
    /// token again can read it: a retry within the reuse interval gets the same successor instead of ending the
    /// session. Useless to anyone who reads the table without the token.
    /// </summary>
    public byte[]? SuccessorSealed { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Digest of the user's security stamp at issue: a password change or lock ends the family.</summary>
    public required string StampDigest { get; set; }

    /// <summary>
    /// When the password login that started the family happened, carried over on every rotation: access tokens
    /// issued from any token of the family say it as <c>auth_time</c>.
    /// </summary>
    public DateTime AuthTime { get; set; }

    /// <summary>
    /// The OAuth2 client the family was issued to; only that client may refresh it once clients are registered.
    /// Null for rows written before clients were recorded.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The scopes granted at the password login (space-separated), or null when none were.</summary>
    public string? Scope { get; set; }
}
