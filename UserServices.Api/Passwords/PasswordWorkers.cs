using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using UserServices.Api.Monitoring;

namespace UserServices.Api.Passwords;

/// <summary>
/// A few dedicated threads, one per core by default, that do all of the service's bcrypt work, fed by a bounded
/// queue. bcrypt is CPU-bound and synchronous by design; run on the thread pool, a burst of logins takes every
/// pool thread, and every other request (profile calls, health probes) waits until the pool grows — a stall of
/// a second or more at the onset of a flood. Here the pool only awaits. Past the queue, work is refused at once and
/// the caller answers 503 with Retry-After instead of piling up.
/// </summary>
public sealed class PasswordWorkers : IHostedService, IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly int _capacity;
    private int _admitted;

    private readonly BcryptPasswordHasher _hasher;
    private readonly ServiceMetrics _metrics;
    private readonly int _priorityBoost;

    public PasswordWorkers(
        IOptions<PasswordWorkerOptions> options, IOptions<PasswordHashingOptions> hashing, BcryptPasswordHasher hasher, ServiceMetrics metrics)
    {
        _hasher = hasher;
        _metrics = metrics;
        metrics.ObservePasswordQueue(() => _queue.Count);
        Threads = options.Value.Concurrency > 0 ? options.Value.Concurrency : Environment.ProcessorCount;
        _capacity = Threads + options.Value.QueueLength;
        _priorityBoost = hashing.Value.PriorityBoost;
    }

    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on a password thread; null when the threads are busy and the queue is full, or
    /// the host is stopping. The continuation resumes on the thread pool, never on a password thread. Work whose
    /// request was abandoned before a thread took it is dropped, so a client that gives up costs no bcrypt.
    /// </summary>
    public Task<T>? TryRun<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity || _queue.IsAddingCompleted)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }

        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queuedAt = Stopwatch.GetTimestamp();
        void Run()
        {
            _metrics.RecordPasswordWait(Stopwatch.GetElapsedTime(queuedAt));
            try
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    done.SetCanceled(cancellationToken);
                    return;
                }

                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref _admitted);
            }
        }

        try
        {
            _queue.Add(Run, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Shutdown closed the queue between the check above and now.
            Interlocked.Decrement(ref _admitted);
            return null;
        }

        return done.Task;
    }

    /// <summary>
    /// Starts the threads, and has them make the hash that logins without an account are checked against before the
    /// first request rather than inside it. (Resolving this service at start also made the hasher, which chose and
    /// logged the implementation.) Work queued before this waits for the threads.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Threads; i++)
        {
            // UnsafeStart: the thread must not inherit the execution context (and its async-locals) of the host's start.
            new Thread(() => Work(_priorityBoost)) { IsBackground = true, Name = $"bcrypt-{i + 1}" }.UnsafeStart();
        }

        _ = TryRun(_hasher.Warm, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The threads finish what is queued and end; the collection itself is left to the finalizer, so that no thread
    // can meet it disposed.
    public void Dispose() => _queue.CompleteAdding();

    private void Work(int priorityBoost)
    {
        // For the thread's whole life: these threads do nothing but bcrypt (see CpuPriority for why).
        _ = CpuPriority.Raise(priorityBoost);
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            item();
        }
    }
}
