namespace UserServices.Api.Monitoring;

/// <summary>How a registration ended, as counted by <see cref="ServiceMetrics"/>.</summary>
public enum RegistrationResult
{
    Created,
    Invalid,
    Taken,
    RateLimited,
    Busy,
}
