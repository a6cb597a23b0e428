using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UserServices.Api.Passwords;

namespace LoadGen;

/// <summary>
/// What password hashing alone allows: one verification takes t on one core, so n cores can do at most n / t
/// logins a second. Measured in this run, on this machine, with the library and cost each service uses.
/// </summary>
internal static class VerifyTime
{
    /// <summary>What UserServices verifies with by default: the system's libxcrypt (C), else BCrypt.Net-Next.</summary>
    public static IBcrypt ServiceBcrypt => NativeBcrypt.IsAvailable() ? new NativeBcrypt() : new ManagedBcrypt();

    /// <summary>One verification with <see cref="ServiceBcrypt"/>, the same code the service runs.</summary>
    public static double Bcrypt(int workFactor, string password, int samples)
    {
        var bcrypt = ServiceBcrypt;
        var hash = bcrypt.Hash(password, workFactor);
        if (bcrypt.Compute(password, hash) != hash)
        {
            throw new InvalidOperationException("bcrypt did not verify its own hash.");
        }

        return Median(samples, () => bcrypt.Compute(password, hash));
    }

    /// <summary>
    /// ASP.NET Core Identity's default hash (format V3: PBKDF2-HMAC-SHA512, 100,000 iterations, 256-bit subkey);
    /// its <c>KeyDerivation.Pbkdf2</c> calls the same <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>.
    /// </summary>
    public static double Pbkdf2Sha512(int iterations, string password, int samples)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var bytes = Encoding.UTF8.GetBytes(password);
        return Median(samples, () => Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA512, 32));
    }

    /// <summary>passlib's bcrypt (over pyca bcrypt) at its default cost 12, as the Python original verifies, timed in that interpreter.</summary>
    public static double Passlib(string python, string password, int samples)
    {
        const string Script = """
            import statistics, sys, time
            from passlib.context import CryptContext
            context = CryptContext(schemes=["bcrypt"])
            password, samples = sys.argv[1], int(sys.argv[2])
            hashed = context.hash(password)
            assert hashed.startswith("$2b$12$"), hashed
            assert context.verify(password, hashed)
            times = []
            for _ in range(samples):
                start = time.perf_counter()
                context.verify(password, hashed)
                times.append(time.perf_counter() - start)
            print(repr(statistics.median(times)))
            """;
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, password, samples.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? double.Parse(output.Trim(), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"timing passlib bcrypt failed ({process.ExitCode}): {stderr.Result}");
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
