using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Security;

public sealed class PasswordCheckGateOptions
{
    public const string Section = "PasswordChecks";

    /// <summary>bcrypt runs at once; 0 means one per core.</summary>
    [Range(0, 1024, ErrorMessage = "PasswordChecks:Concurrency must be between 0 (one per core) and 1024.")]
    public int Concurrency { get; set; }

    /// <summary>Logins waiting for a slot; beyond this they are answered 503 with Retry-After.</summary>
    [Range(0, 100_000, ErrorMessage = "PasswordChecks:QueueLength must be between 0 and 100000.")]
    public int QueueLength { get; set; } = 64;
}

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
