using System.Diagnostics;

namespace LoadGen;

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
        var maxThreads = await MaxThreadsAsync(service, () => Stopwatch.GetTimestamp() >= windowEnd, windowEnd);

        var seconds = measure.TotalSeconds;
        var serviceCores = (service.CpuTime() - serviceCpu).TotalSeconds / seconds;
        var ownCores = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds / seconds;
        var results = await Task.WhenAll(running);
        return new PhaseResult(results, serviceCores, ownCores, maxThreads);
    }

    /// <summary>
    /// One load of single-use requests (<see cref="LoadSpec.Count"/>), each sent once, every answer counted: no
    /// warm-up can be thrown away. The rate and the CPU are over the load's own time, first request to last answer
    /// (the service idles around it).
    /// </summary>
    public static async Task<PhaseResult> RunCountedAsync(ServiceProcess service, LoadSpec load)
    {
        if (load.Count is null)
        {
            throw new ArgumentException($"{load.Name}: a counted load needs a Count.", nameof(load));
        }

        var serviceCpu = service.CpuTime();
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var running = RunOneAsync(service.BaseAddress, load, Stopwatch.GetTimestamp(), long.MaxValue);
        var maxThreads = await MaxThreadsAsync(service, () => running.IsCompleted, long.MaxValue);
        var result = await running;
        var serviceCores = (service.CpuTime() - serviceCpu).TotalSeconds / result.Seconds;
        var ownCores = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds / result.Seconds;
        return new PhaseResult([result], serviceCores, ownCores, maxThreads);
    }

    /// <summary>The service's largest thread count, sampled every 100 ms until <paramref name="done"/> (or, sooner, <paramref name="until"/>).</summary>
    private static async Task<long?> MaxThreadsAsync(ServiceProcess service, Func<bool> done, long until)
    {
        long? maxThreads = null;
        while (!done())
        {
            var threads = service.Status("Threads");
            maxThreads = threads is null ? maxThreads : Math.Max(maxThreads ?? 0, threads.Value);
            var left = until == long.MaxValue ? 100 : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until).TotalMilliseconds;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, left))));
        }

        return maxThreads;
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

        var run = new LoadRun(client, load, windowStart, windowEnd);
        var done = await Task.WhenAll(Enumerable.Range(0, load.Connections).Select(worker => Task.Run(() => run.WorkAsync(worker))));
        var all = done.SelectMany(worker => worker.Latencies).ToArray();
        Array.Sort(all);
        // A counted load has no window: its time runs from its first request to its last answer.
        var seconds = (double)(windowEnd == long.MaxValue ? done.Max(worker => worker.LastEnd) - run.Started : windowEnd - windowStart) / Stopwatch.Frequency;
        return new LoadResult(
            load.Name,
            load.Connections,
            all.Length,
            done.Sum(worker => worker.Errors),
            seconds,
            Percentile(all, 50),
            Percentile(all, 99),
            all.Length == 0 ? double.NaN : Milliseconds(all[^1]),
            done.Select(worker => worker.FirstError).FirstOrDefault(error => error is not null),
            run.FirstOk == long.MaxValue ? double.NaN : Milliseconds(run.FirstOk - run.Started),
            done.Sum(worker => worker.Sent));
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

    internal static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
