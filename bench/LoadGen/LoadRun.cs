using System.Diagnostics;

namespace LoadGen;

/// <summary>The workers of one load: one task per connection, sharing the request sequence and the first success.</summary>
internal sealed class LoadRun(HttpClient client, LoadSpec load, long windowStart, long windowEnd)
{
    private long _sequence = -1;
    private long _firstOk = long.MaxValue;

    public long Started { get; } = Stopwatch.GetTimestamp();

    /// <summary>When the earliest successful answer arrived; <see cref="long.MaxValue"/> while none has.</summary>
    public long FirstOk => Interlocked.Read(ref _firstOk);

    /// <summary>What one worker saw; latencies (Stopwatch ticks) of its successes inside the window.</summary>
    public sealed record Tally(List<long> Latencies, long Errors, string? FirstError, long Sent, long LastEnd);

    public async Task<Tally> WorkAsync(int worker)
    {
        var chain = load.Chains?.Invoke(worker);
        var newRequest = chain is null ? load.NewRequest ?? throw new ArgumentException($"{load.Name}: neither NewRequest nor Chains.") : null;
        var latencies = new List<long>(4096);
        long errors = 0, sent = 0, lastEnd = 0;
        string? firstError = null;
        while (Stopwatch.GetTimestamp() < windowEnd)
        {
            var n = Interlocked.Increment(ref _sequence);
            if (n >= load.Count)
            {
                break;
            }

            using var request = newRequest is null ? chain!.Next() : newRequest(n);
            var begin = Stopwatch.GetTimestamp();
            var error = await SendAsync(request, chain);
            var end = lastEnd = Stopwatch.GetTimestamp();
            sent++;
            if (error is null)
            {
                KeepEarliest(end);
            }

            // A broken chain stops its worker: counted wherever it happened, or the lost worker would go unseen.
            var broken = error is not null && chain is not null;
            if ((end < windowStart || end >= windowEnd) && !broken)
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

            if (broken)
            {
                break;
            }
        }

        return new Tally(latencies, errors, firstError, sent, lastEnd);
    }

    /// <summary>Null for a success: the expected status, and a body the load (or the chain) accepts.</summary>
    private async Task<string?> SendAsync(HttpRequestMessage request, IRequestChain? chain)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            if (response.StatusCode != load.Expected)
            {
                return $"{(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}";
            }

            // The body is decoded only when someone reads it, so the plain loads cost the load generator what they did.
            return chain is not null ? chain.Answered(await response.Content.ReadAsStringAsync())
                : load.CheckBody is { } check ? check(await response.Content.ReadAsStringAsync())
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Racing workers: keep the earliest.</summary>
    private void KeepEarliest(long end)
    {
        long seen;
        while (end < (seen = Interlocked.Read(ref _firstOk)) && Interlocked.CompareExchange(ref _firstOk, end, seen) != seen)
        {
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
