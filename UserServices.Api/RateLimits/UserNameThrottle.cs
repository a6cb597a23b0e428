using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Logins per username per minute, across all client addresses: a distributed guesser hits this even when each
/// address stays under its own limit. Checked in the token endpoint, where the username has been read.
/// </summary>
public sealed class UserNameThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(userName =>
        RateLimitPartition.GetFixedWindowLimiter(userName, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.TokenPerUserPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string userName) => _limiter.AttemptAcquire(userName.ToUpperInvariant());

    public void Dispose() => _limiter.Dispose();
}
