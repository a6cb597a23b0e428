namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A clock the test sets, forwards or back (unlike FakeTimeProvider, which only moves forward), so each test can start
/// at the real time again and bearer tokens stay valid for JwtBearer's own clock. Timers run on real time.
/// </summary>
public sealed class SettableClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    /// <summary>
    /// Back to <paramref name="stepsBack"/> 30-second steps before the real time, <paramref name="intoStep"/> seconds
    /// into a step: a test can then move on step by step without issuing tokens that JwtBearer (on real time, 30 s of
    /// skew) takes as not yet valid.
    /// </summary>
    public void Reset(int stepsBack = 8, int intoStep = 5)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Now = DateTimeOffset.FromUnixTimeSeconds(now - (now % 30) - (stepsBack * 30) + intoStep);
    }

    public void Advance(TimeSpan by) => Now += by;

    public override DateTimeOffset GetUtcNow() => Now;
}
