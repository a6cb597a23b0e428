namespace LoadGen;

/// <summary>
/// What one load did inside the measured window. Only requests that completed inside the window count; latencies
/// are those of the successful ones, every one recorded, percentiles by nearest rank over the sorted list.
/// </summary>
/// <param name="FirstOkMs">From the load's first request to its first successful response, inside the window or not.</param>
/// <param name="Sent">Every request the load sent, in the warm-up, the window and after it (all of them had completed when the load returned).</param>
internal sealed record LoadResult(string Name, int Connections, long Ok, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, string? FirstError, double FirstOkMs, long Sent)
{
    public double PerSecond => Ok / Seconds;
}
