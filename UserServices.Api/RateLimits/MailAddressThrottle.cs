using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Mails per address per hour, across all client addresses: a password-reset form cannot be used to flood someone's
/// mailbox from many addresses. Checked in the endpoint, where the address has been read.
/// </summary>
public sealed class MailAddressThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.MailPerAddressPerHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string address) => _limiter.AttemptAcquire(address.Trim().ToUpperInvariant());

    public void Dispose() => _limiter.Dispose();
}
