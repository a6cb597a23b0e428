namespace UserServices.Api.Sessions;

/// <summary>Whether a token's session can be used right now, and if not, why (<see cref="SessionRule.Judge"/>).</summary>
public enum SessionVerdict
{
    Usable,

    /// <summary>Ended (logout, revocation, reuse detection, by its person or an admin), or there is no such session.</summary>
    Ended,

    /// <summary>Past its idle or absolute expiry.</summary>
    Expired,

    /// <summary>The account's security stamp changed since the token was issued (password change, lock, admin change).</summary>
    AccountChanged,

    /// <summary>The account is locked right now; the session itself goes on once the lock ends.</summary>
    AccountLocked,
}
