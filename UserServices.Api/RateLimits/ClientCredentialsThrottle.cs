using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Client-credentials tokens per OAuth client per minute, counted by client id (in Redis with <c>REDIS_URL</c>, so
/// for all replicas together): the client is authenticated by then, so its id is a key nobody else can spend.
/// </summary>
public sealed class ClientCredentialsThrottle(IOptions<RateLimitOptions> options, RateLimitBackend backend) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(clientId =>
        RateLimitPartition.Get(clientId, key => backend.CreateLimiter("client:" + key, options.Value.ClientCredentialsPerClientPerMinute)));

    public ValueTask<RateLimitLease> AcquireAsync(string clientId, CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(clientId, 1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
