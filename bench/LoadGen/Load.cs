using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace LoadGen;

/// <summary>One kind of request driven at a fixed number of connections, one worker task per connection.</summary>
/// <param name="StartsWithWindow">
/// Sends nothing before the measured window opens: a load that starts cold while the others run warm (the first
/// login flood a process sees). Otherwise every load starts at once and the warm-up is discarded.
/// </param>
internal sealed record LoadSpec(string Name, int Connections, HttpStatusCode Expected, Func<long, HttpRequestMessage> NewRequest, bool StartsWithWindow = false);

/// <summary>
/// What one load did inside the measured window. Only requests that completed inside the window count; latencies
/// are those of the successful ones, every one recorded, percentiles by nearest rank over the sorted list.
/// </summary>
/// <param name="FirstOkMs">From the load's first request to its first successful response, inside the window or not.</param>
internal sealed record LoadResult(string Name, int Connections, long Ok, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, string? FirstError, double FirstOkMs)
{
    public double PerSecond => Ok / Seconds;
}

/// <summary>Loads run at the same time, and what the service process spent meanwhile.</summary>
internal sealed record PhaseResult(IReadOnlyList<LoadResult> Loads, double ServiceCores, double LoadGenCores, long? MaxServiceThreads)
{
    public LoadResult this[string name] => Loads.Single(load => load.Name == name);

    public string Summary() => string.Join("; ", Loads.Select(load =>
        string.Create(CultureInfo.InvariantCulture, $"{load.Name} at {load.Connections}: {load.PerSecond:F1}/s p50 {load.P50Ms:F1} ms p99 {load.P99Ms:F1} ms, first ok after {load.FirstOkMs:F0} ms, {load.Errors} errors")));
}

internal static class Load
{
    /// <summary>
    /// Starts every load at once; requests completing in the warm-up are discarded, then those completing in
    /// the next <paramref name="measure"/> are counted. Workers stop issuing at the end of the window.
    /// </summary>
    public static async Task<PhaseResult> RunAsync(ServiceProcess service, TimeSpan warmup, TimeSpan measure, params LoadSpec[] loads)
    {
        var windowStart = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        var running = loads.Select(load => RunOneAsync(service.BaseAddress, load, windowStart, windowEnd)).ToArray();

        // Service CPU and thread count across exactly the measured window.
        await Task.Delay(Until(windowStart));
        var serviceCpu = service.CpuTime();
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        long? maxThreads = null;
        while (Stopwatch.GetTimestamp() < windowEnd)
        {
            var threads = service.Status("Threads");
            maxThreads = threads is null ? maxThreads : Math.Max(maxThreads ?? 0, threads.Value);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), windowEnd).TotalMilliseconds))));
        }

        var seconds = measure.TotalSeconds;
        var serviceCores = (service.CpuTime() - serviceCpu).TotalSeconds / seconds;
        var ownCores = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds / seconds;
        var results = await Task.WhenAll(running);
        return new PhaseResult(results, serviceCores, ownCores, maxThreads);
    }

    private static async Task<LoadResult> RunOneAsync(Uri baseAddress, LoadSpec load, long windowStart, long windowEnd)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = load.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
        if (load.StartsWithWindow)
        {
            await Task.Delay(Until(windowStart));
        }

        long sequence = -1;
        var started = Stopwatch.GetTimestamp();
        var firstOk = long.MaxValue;
        var workers = Enumerable.Range(0, load.Connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            long errors = 0;
            string? firstError = null;
            while (Stopwatch.GetTimestamp() < windowEnd)
            {
                using var request = load.NewRequest(Interlocked.Increment(ref sequence));
                var begin = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    error = response.StatusCode == load.Expected
                        ? null
                        : $"{(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }

                var end = Stopwatch.GetTimestamp();
                if (error is null && end < Interlocked.Read(ref firstOk))
                {
                    // Racing workers: keep the earliest.
                    long seen;
                    while (end < (seen = Interlocked.Read(ref firstOk)) && Interlocked.CompareExchange(ref firstOk, end, seen) != seen)
                    {
                    }
                }

                if (end < windowStart || end >= windowEnd)
                {
                    continue;
                }

                if (error is null)
                {
                    latencies.Add(end - begin);
                }
                else
                {
                    errors++;
                    firstError ??= error;
                }
            }

            return (latencies, errors, firstError);
        })).ToArray();

        var done = await Task.WhenAll(workers);
        var all = done.SelectMany(worker => worker.latencies).ToArray();
        Array.Sort(all);
        var seconds = (double)(windowEnd - windowStart) / Stopwatch.Frequency;
        return new LoadResult(
            load.Name,
            load.Connections,
            all.Length,
            done.Sum(worker => worker.errors),
            seconds,
            Percentile(all, 50),
            Percentile(all, 99),
            all.Length == 0 ? double.NaN : Milliseconds(all[^1]),
            done.Select(worker => worker.firstError).FirstOrDefault(error => error is not null),
            firstOk == long.MaxValue ? double.NaN : Milliseconds(firstOk - started));
    }

    /// <summary>From now to a Stopwatch timestamp; zero once it has passed.</summary>
    private static TimeSpan Until(long timestamp)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Nearest rank: the smallest value with at least p % of the values at or below it.</summary>
    private static double Percentile(long[] sorted, double p) => sorted.Length == 0
        ? double.NaN
        : Milliseconds(sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
