namespace UserServices.Api.Monitoring;

/// <summary>How a password-grant request ended, as counted by <see cref="ServiceMetrics"/>.</summary>
public enum LoginResult
{
    Succeeded,
    InvalidCredentials,
    LockedOut,
    RateLimited,
    Busy,
}
