namespace UserServices.Api.Sessions;

public static class SessionEndCauses
{
    /// <summary>The snake_case name stored on the session row and tagged on the metric.</summary>
    public static string Name(this SessionEndCause cause) => cause switch
    {
        SessionEndCause.Logout => "logout",
        SessionEndCause.Revoked => "revoked",
        SessionEndCause.ReuseDetected => "reuse_detected",
        SessionEndCause.EndedByUser => "ended_by_user",
        SessionEndCause.EndedByAdmin => "ended_by_admin",
        SessionEndCause.AccountChanged => "account_changed",
        SessionEndCause.MfaChanged => "mfa_changed",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, null),
    };
}
