using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Logins per username per minute, across all client addresses: a distributed guesser hits this even when each
/// address stays under its own limit. Checked in the token endpoint, where the username has been read.
/// </summary>
public sealed class UserNameThrottle(IOptions<RateLimitOptions> options, RateLimitBackend backend) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(userName =>
        RateLimitPartition.Get(userName, key => backend.CreateLimiter("user:" + key, options.Value.TokenPerUserPerMinute)));

    public ValueTask<RateLimitLease> AcquireAsync(string userName, CancellationToken cancellationToken) =>
        // Normalized as Identity's lookup normalizes, so every spelling that finds the account shares its count.
        _limiter.AcquireAsync(userName.Normalize().ToUpperInvariant(), 1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
