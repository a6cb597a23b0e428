using System.Net;

namespace LoadGen;

/// <summary>One kind of request driven at a fixed number of connections, one worker task per connection.</summary>
/// <param name="NewRequest">The n-th request of the load (n counts from 0 across its workers); null when <see cref="Chains"/> makes them.</param>
/// <param name="StartsWithWindow">
/// Sends nothing before the measured window opens: a load that starts cold while the others run warm (the first
/// login flood a process sees). Otherwise every load starts at once and the warm-up is discarded.
/// </param>
internal sealed record LoadSpec(string Name, int Connections, HttpStatusCode Expected, Func<long, HttpRequestMessage>? NewRequest, bool StartsWithWindow = false)
{
    /// <summary>
    /// Per worker (0 to <see cref="Connections"/> − 1), a chain of requests each made from the answer to the one
    /// before (refresh-token rotation). A worker stops at its first error: the chain's next link is unknown.
    /// </summary>
    public Func<int, IRequestChain>? Chains { get; init; }

    /// <summary>Checks the body of an answer with the expected status: an error to count (a 200 that says "no"), or null.</summary>
    public Func<string, string?>? CheckBody { get; init; }

    /// <summary>Set: exactly this many requests, n = 0 … Count − 1, each sent once (single-use credentials), for <see cref="Load.RunCountedAsync"/>.</summary>
    public long? Count { get; init; }
}
