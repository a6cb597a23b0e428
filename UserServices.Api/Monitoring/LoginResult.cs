namespace UserServices.Api.Monitoring;

/// <summary>How a password-grant request ended, as counted by <see cref="ServiceMetrics"/>.</summary>
public enum LoginResult
{
    Succeeded,
    InvalidCredentials,
    LockedOut,
    RateLimited,
    Busy,

    /// <summary>The password was right; the account needs a second factor (403 <c>mfa_required</c>).</summary>
    MfaRequired,

    /// <summary>A wrong one-time or recovery code.</summary>
    MfaFailed,
}
