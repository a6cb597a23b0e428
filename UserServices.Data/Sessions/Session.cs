using UserServices.Data.Users;

namespace UserServices.Data.Sessions;

/// <summary>
/// One sign-in: what a person sees in their list of sessions and can end. It starts at a password login and lives
/// through the rotations of its refresh tokens (the <see cref="Tokens.RefreshToken"/> rows of the same family, whose
/// <c>FamilyId</c> is this <see cref="Id"/>); every access token names it in its <c>sid</c> claim. Ending it is one
/// UPDATE of this row, which the bearer check reads on every request, so its access tokens stop at once.
/// </summary>
public class Session
{
    public const int MaxIpLength = 64;
    public const int MaxUserAgentLength = 256;
    public const int MaxClientIdLength = 256;
    public const int MaxAuthMethodsLength = 64;
    public const int MaxEndCauseLength = 32;

    /// <summary>The <c>sid</c> claim of its access tokens and the family of its refresh tokens.</summary>
    public Guid Id { get; set; }

    public int UserId { get; set; }

    public User? User { get; set; }

    /// <summary>UTC, the password login.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC, the creation or the latest rotation of its refresh token.</summary>
    public DateTime LastUsedAt { get; set; }

    /// <summary>UTC: the earlier of the idle expiry (moved on by each rotation) and <see cref="AbsoluteExpiresAt"/>.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>UTC: the session ends this long after the login, used or not (<c>RefreshTokens:AbsoluteLifetimeDays</c>).</summary>
    public DateTime AbsoluteExpiresAt { get; set; }

    /// <summary>UTC, when the person authenticated (the <c>auth_time</c> claim).</summary>
    public DateTime AuthTime { get; set; }

    /// <summary>How they authenticated, RFC 8176 <c>amr</c> values separated by spaces (<c>pwd</c> for a password).</summary>
    public required string AuthMethods { get; set; }

    /// <summary>The OAuth2 client the session was started by.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client address (as resolved through trusted proxies) and user agent at the login.</summary>
    public string? CreatedIp { get; set; }

    public string? CreatedUserAgent { get; set; }

    /// <summary>The client address and user agent of the latest use (the login or the latest rotation).</summary>
    public string? LastIp { get; set; }

    public string? LastUserAgent { get; set; }

    /// <summary>UTC, when it was ended (logout, revocation, reuse detection, by the person or an admin); null while not.</summary>
    public DateTime? EndedAt { get; set; }

    /// <summary>Why it ended: <c>logout</c>, <c>revoked</c>, <c>reuse_detected</c>, <c>ended_by_user</c>, …</summary>
    public string? EndCause { get; set; }
}
