using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using UserServices.Api.Monitoring;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Where the limits are counted: in Redis when <c>REDIS_URL</c> is set and Redis answers, so that every replica
/// draws from one count; otherwise in this replica's memory. An outage switches to memory (never to no limit, never
/// to refusing everyone) with one warning, and the first answer from Redis afterwards switches back.
/// </summary>
public sealed class RateLimitBackend : IHostedService, IAsyncDisposable
{
    // After a failed call, this replica counts in memory for a while before asking Redis again, so that a Redis
    // that hangs costs one timeout per interval rather than one per request.
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly ConfigurationOptions? _configuration;
    private readonly ILogger<RateLimitBackend> _logger;
    private long _fallbacks;
    private ConnectionMultiplexer? _redis;
    private int _usingMemory;
    private long _retryAt;

    public RateLimitBackend(IOptions<RateLimitOptions> options, IMeterFactory meters, ILogger<RateLimitBackend> logger)
    {
        _logger = logger;
        _configuration = string.IsNullOrWhiteSpace(options.Value.RedisUrl) ? null : RedisUrl.Parse(options.Value.RedisUrl);
        _usingMemory = _configuration is null ? 1 : 0;
        var meter = meters.Create(ServiceMetrics.MeterName);
        meter.CreateObservableGauge(
            "userservices.rate_limit.backend",
            () => new[]
            {
                new Measurement<int>(UsesMemory ? 0 : 1, new KeyValuePair<string, object?>("backend", "redis")),
                new Measurement<int>(UsesMemory ? 1 : 0, new KeyValuePair<string, object?>("backend", "memory")),
            },
            description: "1 for where this replica counts its rate limits now: redis (shared by all replicas) or memory (this replica only).");
        meter.CreateObservableCounter(
            "userservices.rate_limit.fallbacks",
            () => Volatile.Read(ref _fallbacks),
            description: "Times this replica lost Redis and fell back to counting its rate limits in memory.");
    }

    /// <summary>True while this replica counts in its own memory (no <c>REDIS_URL</c>, or Redis unreachable).</summary>
    public bool UsesMemory => Volatile.Read(ref _usingMemory) == 1;

    /// <summary>A limiter for one partition: <paramref name="permitLimit"/> permits per minute, counted under <paramref name="key"/>.</summary>
    internal SharedWindowLimiter CreateLimiter(string key, int permitLimit, TimeSpan? window = null) =>
        new(this, "userservices:" + key, permitLimit, window ?? TimeSpan.FromMinutes(1));

    /// <summary>Redis to ask now: null without <c>REDIS_URL</c>, and during an outage but once a second.</summary>
    internal ConnectionMultiplexer? RedisToTry =>
        _redis is not null && (!UsesMemory || Stopwatch.GetTimestamp() >= Volatile.Read(ref _retryAt)) ? _redis : null;

    internal void RedisAnswered()
    {
        if (Interlocked.Exchange(ref _usingMemory, 0) == 1)
        {
            _logger.LogInformation("Redis answers again: rate limits are shared by all replicas again.");
        }
    }

    internal void RedisFailed(Exception? error)
    {
        Volatile.Write(ref _retryAt, Stopwatch.GetTimestamp() + (long)(RetryInterval.TotalSeconds * Stopwatch.Frequency));
        if (Interlocked.Exchange(ref _usingMemory, 1) == 0)
        {
            Interlocked.Increment(ref _fallbacks);
            _logger.LogWarning(
                "Redis is unreachable ({Reason}): rate limits are counted in this replica's memory until it returns, so each replica allows the full limit on its own.",
                error?.GetType().Name ?? "not connected");
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_configuration is null)
        {
            return;
        }

        // With AbortOnConnectFail off, this returns even when Redis is down, and the client keeps reconnecting.
        _redis = await ConnectionMultiplexer.ConnectAsync(_configuration);
        if (_redis.IsConnected)
        {
            _logger.LogInformation("Rate limits are counted in Redis at {EndPoints}, shared by all replicas.", string.Join(", ", _configuration.EndPoints));
        }
        else
        {
            RedisFailed(null);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
