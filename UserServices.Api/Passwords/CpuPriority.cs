using System.Runtime.InteropServices;

namespace UserServices.Api.Passwords;

/// <summary>
/// Raises a thread's CPU scheduling priority (Linux: a lower nice value for that one thread); the password threads
/// raise themselves for life. Under a load that keeps every core busy, the fair scheduler otherwise splits the CPU
/// by thread count, and the two or so bcrypt threads lose to dozens of request threads and database processes:
/// logins crawl although each costs a fixed amount. There are only as many password threads as cores, so token
/// checks keep their share. Without the privilege to raise priority (CAP_SYS_NICE) — or on another OS — this does
/// nothing.
/// </summary>
internal static partial class CpuPriority
{
    private const int PriorityProcess = 0; // PRIO_PROCESS: with a thread id, applies to that thread only
    private static int _disabled;

    /// <summary>Raise by <paramref name="steps"/> nice levels until the returned scope is disposed.</summary>
    public static Scope Raise(int steps)
    {
        if (steps <= 0 || Volatile.Read(ref _disabled) == 1 || !OperatingSystem.IsLinux())
        {
            return default;
        }

        var thread = gettid();
        if (setpriority(PriorityProcess, thread, -steps) != 0)
        {
            // No privilege: stay at normal priority from now on, without trying on every login.
            Volatile.Write(ref _disabled, 1);
            return default;
        }

        return new Scope(thread);
    }

    public readonly struct Scope(int thread) : IDisposable
    {
        public void Dispose()
        {
            if (thread != 0)
            {
                // Back to the default, so a thread-pool thread does not stay raised for unrelated work.
                _ = setpriority(PriorityProcess, thread, 0);
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int priority);

    [LibraryImport("libc")]
    private static partial int gettid();
}
