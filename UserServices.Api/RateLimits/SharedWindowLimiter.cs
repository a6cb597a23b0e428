using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace UserServices.Api.RateLimits;

/// <summary>
/// A fixed window (a minute, an hour) for one partition (a client address, a username), counted by RedisRateLimiting's
/// limiter while <see cref="RateLimitBackend"/> has Redis, else by the framework's in-memory one.
/// </summary>
internal sealed class SharedWindowLimiter : RateLimiter
{
    private readonly RateLimitBackend _backend;
    private readonly string _key;
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly FixedWindowRateLimiter _memory;
    private RedisFixedWindowRateLimiter<string>? _redis;

    public SharedWindowLimiter(RateLimitBackend backend, string key, int permitLimit, TimeSpan window)
    {
        _backend = backend;
        _key = key;
        _permitLimit = permitLimit;
        _window = window;
        _memory = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0 });
    }

    // The memory count's: RedisRateLimiting's limiter keeps no local state (and always says zero), so a partition
    // that only Redis counts is dropped once idle and starts again from Redis's count; without this, every client
    // address and username ever seen would stay in memory.
    public override TimeSpan? IdleDuration => _memory.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _memory.GetStatistics();

    // ASP.NET Core's middleware tries this first and then AcquireAsync. A Redis count needs a round trip, so then
    // the answer is "not without waiting" (as RedisRateLimiting's own limiters answer); a memory count is at hand.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        _backend.RedisToTry is null ? _memory.AttemptAcquire(permitCount) : NotAcquiredLease.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (_backend.RedisToTry is { } redis)
        {
            if (!redis.IsConnected)
            {
                // Not even a round trip: the client knows the connection is down (and keeps reconnecting).
                _backend.RedisFailed(null);
            }
            else
            {
                try
                {
                    var lease = await RedisLimiter(redis).AcquireAsync(permitCount, cancellationToken);
                    _backend.RedisAnswered();
                    return lease;
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                {
                    _backend.RedisFailed(e);
                }
            }
        }

        return _memory.AttemptAcquire(permitCount);
    }

    private RedisFixedWindowRateLimiter<string> RedisLimiter(ConnectionMultiplexer redis)
    {
        if (Volatile.Read(ref _redis) is { } existing)
        {
            return existing;
        }

        var created = new RedisFixedWindowRateLimiter<string>(_key, new RedisFixedWindowRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => redis,
            PermitLimit = _permitLimit,
            Window = _window,
        });
        if (Interlocked.CompareExchange(ref _redis, created, null) is { } raced)
        {
            created.Dispose();
            return raced;
        }

        return created;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _memory.Dispose();
            _redis?.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class NotAcquiredLease : RateLimitLease
    {
        public static readonly NotAcquiredLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
