using System.Collections.Concurrent;
using UserServices.Api.Passwords;

namespace UserServices.Tests.Infrastructure;

/// <summary>The real bcrypt, with a note of every call and the thread it ran on; registered in place of the service's.</summary>
public sealed class RecordingBcrypt(IBcrypt inner) : IBcrypt
{
    public ConcurrentQueue<(string Operation, string Thread)> Calls { get; } = new();

    public string Name => inner.Name;

    public string Hash(string password, int workFactor)
    {
        Calls.Enqueue(("hash", Thread.CurrentThread.Name ?? "(pool)"));
        return inner.Hash(password, workFactor);
    }

    public string? Compute(string password, string setting)
    {
        Calls.Enqueue(("compute", Thread.CurrentThread.Name ?? "(pool)"));
        return inner.Compute(password, setting);
    }

    /// <summary>Waits for the dummy hash the service makes on a password thread at start, so only later calls count.</summary>
    public Task WaitForStartupHashAsync() =>
        Eventually.TrueAsync(
            () => Calls.Any(c => c.Operation == "hash" && c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal)),
            "the password threads never made the dummy hash");
}
