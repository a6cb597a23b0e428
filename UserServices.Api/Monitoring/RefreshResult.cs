namespace UserServices.Api.Monitoring;

/// <summary>How presenting a refresh token ended, as counted by <see cref="ServiceMetrics"/>.</summary>
public enum RefreshResult
{
    Rotated,

    /// <summary>A token already rotated was presented again and its family was revoked.</summary>
    ReuseDetected,

    /// <summary>Another use of the same token won the race at the same moment.</summary>
    Concurrent,
    Expired,
    Revoked,
    Unknown,
    WrongClient,
    AccountChanged,
    LockedOut,
}
