using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Mails per address per hour, across all client addresses: a password-reset form cannot be used to flood someone's
/// mailbox from many addresses. Checked in the endpoint, where the address has been read.
/// </summary>
public sealed class MailAddressThrottle(IOptions<RateLimitOptions> options, RateLimitBackend backend) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.Get(address, key => backend.CreateLimiter("mail:" + key, options.Value.MailPerAddressPerHour, TimeSpan.FromHours(1))));

    public ValueTask<RateLimitLease> AcquireAsync(string address, CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(address.Trim().ToUpperInvariant(), 1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
