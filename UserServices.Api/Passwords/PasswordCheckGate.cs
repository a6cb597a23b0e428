using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Passwords;

/// <summary>
/// bcrypt is synchronous and CPU-bound by design. Letting every login run it at once would take every core and
/// thread-pool thread and starve token checks; this admits a bounded number, queues the rest without blocking
/// threads, and refuses past the queue.
/// </summary>
public sealed class PasswordCheckGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public PasswordCheckGate(IOptions<PasswordCheckGateOptions> options)
    {
        var concurrency = options.Value.Concurrency > 0 ? options.Value.Concurrency : Environment.ProcessorCount;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = concurrency,
            QueueLimit = options.Value.QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
