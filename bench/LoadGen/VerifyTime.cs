using System.Diagnostics;

namespace LoadGen;

/// <summary>
/// What password hashing alone allows: one verification takes t on one core, so n cores can do at most n / t
/// logins a second. Measured in this run, on this machine, with the library and cost each service uses.
/// </summary>
internal static class VerifyTime
{
    /// <summary>BCrypt.Net-Next, the library UserServices hashes with.</summary>
    public static double Bcrypt(int workFactor, string password, int samples)
    {
        var hash = BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(workFactor, 'b'));
        if (!BCrypt.Net.BCrypt.Verify(password, hash))
        {
            throw new InvalidOperationException("bcrypt did not verify its own hash.");
        }

        return Median(samples, () => BCrypt.Net.BCrypt.Verify(password, hash));
    }

    private static double Median(int samples, Action verify)
    {
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            verify();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(times);
        return times[samples / 2];
    }
}
