using System.Globalization;

namespace LoadGen;

/// <summary>Loads run at the same time, and what the service process spent meanwhile.</summary>
internal sealed record PhaseResult(IReadOnlyList<LoadResult> Loads, double ServiceCores, double LoadGenCores, long? MaxServiceThreads)
{
    public LoadResult this[string name] => Loads.Single(load => load.Name == name);

    /// <summary>The service's CPU time per successful request, in ms; only where one load ran (under a flood two share it).</summary>
    public double? ServiceCpuMsPerRequest => Loads is [{ Ok: > 0 } load] ? ServiceCores * load.Seconds * 1000 / load.Ok : null;

    public string Summary() => string.Join("; ", Loads.Select(load =>
        string.Create(CultureInfo.InvariantCulture, $"{load.Name} at {load.Connections}: {load.PerSecond:F1}/s p50 {load.P50Ms:F1} ms p99 {load.P99Ms:F1} ms, first ok after {load.FirstOkMs:F0} ms, {load.Errors} errors")));
}
