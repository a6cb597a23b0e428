namespace UserServices.Api.Monitoring;

/// <summary>How presenting a refresh token ended, as counted by <see cref="ServiceMetrics"/>.</summary>
public enum RefreshResult
{
    Rotated,

    /// <summary>A token already rotated was presented again and its family was revoked.</summary>
    ReuseDetected,

    /// <summary>
    /// A token presented again within the reuse interval (a retry, or a simultaneous use that lost the race),
    /// answered with the successor already issued.
    /// </summary>
    Retried,

    /// <summary>Another use of the same token won the race, and the reuse interval is off.</summary>
    Concurrent,
    Expired,
    Revoked,
    Unknown,
    WrongClient,
    AccountChanged,
    LockedOut,
}
