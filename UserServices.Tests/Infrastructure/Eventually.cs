namespace UserServices.Tests.Infrastructure;

/// <summary>
/// Polls until something holds, failing at a deadline with what was last seen: how a test waits for work done in
/// the background (a mail sent, a thread started, a line logged), never with a fixed sleep.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The first value <paramref name="probe"/> gives that <paramref name="accept"/> takes; <paramref name="because"/>
    /// describes the last one at the deadline. A probe that costs the service something (a registration's bcrypt)
    /// asks less often, <paramref name="every"/>.
    /// </summary>
    public static async Task<T> ValueAsync<T>(
        Func<Task<T>> probe, Func<T, bool> accept, Func<T, string> because, TimeSpan? within = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        while (true)
        {
            var value = await probe();
            if (accept(value))
            {
                return value;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, because(value));
            await Task.Delay(every ?? DefaultEvery);
        }
    }

    /// <summary>The first value <paramref name="probe"/> gives that is not null.</summary>
    public static async Task<T> FoundAsync<T>(Func<T?> probe, string because, TimeSpan? within = null)
        where T : class =>
        (await ValueAsync(() => Task.FromResult(probe()), found => found is not null, _ => because, within))!;

    public static Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? within = null) =>
        ValueAsync(condition, holds => holds, _ => because, within);

    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, within);
}
