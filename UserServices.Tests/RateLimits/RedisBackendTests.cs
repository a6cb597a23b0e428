using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.RateLimits;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.RateLimits;

/// <summary>
/// The limits with REDIS_URL set, in-process: two services on one Redis share one count; a Redis that is not there
/// at start leaves each service its own in-memory limit (never none), a warning and the backend metric saying so.
/// The three-replica version, with Redis stopped and restarted mid-run, is in ScaleOut/.
/// </summary>
public sealed class RedisBackendTests(PostgresServer server) : IAsyncLifetime
{
    private const int PerClient = 3;
    private RedisServer? _redis;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartNewAsync();

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private async Task<UserServicesApp> StartAsync(string redisUrl)
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync(nameof(RedisBackendTests)));
        settings["REDIS_URL"] = redisUrl;
        settings["RateLimits:TokenPerClientPerMinute"] = PerClient.ToString(CultureInfo.InvariantCulture);
        return UserServicesApp.Start(settings);
    }

    private static Task<HttpResponseMessage> WrongLoginAsync(HttpClient client, int i) =>
        client.PostAsync("/user/token", new FormUrlEncodedContent([KeyValuePair.Create("username", $"ghost{i}"), KeyValuePair.Create("password", "not the password")]));

    [Fact]
    public async Task Two_services_on_one_Redis_share_one_count_per_client()
    {
        await using var first = await StartAsync(_redis!.Url);
        await using var second = await StartAsync(_redis.Url);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * PerClient; i++)
        {
            statuses.Add((await WrongLoginAsync((i % 2 == 0 ? first : second).ClientFrom("198.51.100.20"), i)).StatusCode);
        }

        statuses.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, PerClient), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, PerClient)]);
        var limited = await WrongLoginAsync(first.ClientFrom("198.51.100.20"), 99);
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
        (await WrongLoginAsync(second.ClientFrom("198.51.100.21"), 100)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        Backend(first).ShouldBe(("redis", 0L));
    }

    [Fact]
    public async Task With_Redis_unreachable_from_the_start_the_limit_is_counted_in_memory_with_one_warning()
    {
        await using var app = await StartAsync($"redis://127.0.0.1:{FreePorts.Next()}");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerClient + 2; i++)
        {
            statuses.Add((await WrongLoginAsync(app.ClientFrom("198.51.100.30"), i)).StatusCode);
        }

        statuses.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, PerClient), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]);
        app.Logs.Count(line => line.Contains("Redis is unreachable", StringComparison.Ordinal)).ShouldBe(1);
        Backend(app).ShouldBe(("memory", 1L));
    }

    /// <summary>Where the app's gauge says it counts now, and how many fallbacks its counter recorded.</summary>
    private static (string Backend, long Fallbacks) Backend(UserServicesApp app)
    {
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        string? backend = null;
        long fallbacks = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UserServices.Api.Monitoring.ServiceMetrics.MeterName && instrument.Meter.Scope == meters)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "userservices.rate_limit.backend" && value == 1)
            {
                backend = (string?)tags.ToArray().Single(tag => tag.Key == "backend").Value;
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "userservices.rate_limit.fallbacks")
            {
                fallbacks = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (backend ?? "none", fallbacks);
    }
}
