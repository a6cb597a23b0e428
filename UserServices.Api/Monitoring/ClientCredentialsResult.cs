namespace UserServices.Api.Monitoring;

/// <summary>How a client-credentials request of an authenticated client ended, as counted by <see cref="ServiceMetrics"/>.</summary>
public enum ClientCredentialsResult
{
    Issued,
    InvalidTarget,
    RateLimited,
}
