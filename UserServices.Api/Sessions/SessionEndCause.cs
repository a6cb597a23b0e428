namespace UserServices.Api.Sessions;

/// <summary>Why a session ended: stored on the row, tagged on the <c>userservices.sessions.ended</c> metric.</summary>
public enum SessionEndCause
{
    /// <summary><c>POST /user/logout</c>.</summary>
    Logout,

    /// <summary>RFC 7009 revocation of one of its refresh tokens (<c>POST /user/revoke</c>).</summary>
    Revoked,

    /// <summary>An already rotated refresh token was presented again: taken as theft.</summary>
    ReuseDetected,

    /// <summary>Its person ended it from another session (<c>DELETE /user/sessions…</c>).</summary>
    EndedByUser,

    /// <summary>An admin ended it (<c>DELETE /admin/users/{id}/sessions/{sid}</c>, <c>POST /admin/users/{id}/logout</c>).</summary>
    EndedByAdmin,

    /// <summary>The account changed under it: a new password, a lock, an admin's change of name, email or roles.</summary>
    AccountChanged,

    /// <summary>Two-factor sign-in was turned on (the account's other sessions had one factor) or reset by an admin.</summary>
    MfaChanged,
}
