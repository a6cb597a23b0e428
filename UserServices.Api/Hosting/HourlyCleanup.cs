namespace UserServices.Api.Hosting;

/// <summary>
/// Deletes rows nobody needs any more, once an hour, in every replica (the deletes are idempotent, so replicas
/// running them at once only repeat each other). A failed round is logged and left to the next one.
/// </summary>
public abstract class HourlyCleanup(TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The clock both the rounds and the expiry they judge by read (a fake one in tests).</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>What the deleted rows are, for the log line, e.g. "audit events past their retention".</summary>
    protected abstract string Rows { get; }

    /// <summary>One round: deletes what has expired by now and says how many rows went.</summary>
    public abstract Task<int> DeleteExpiredAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await DeleteExpiredAsync(stoppingToken);
                logger.LogInformation("Deleted {Count} {Rows}.", deleted, Rows);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Deleting {Rows} failed; retrying in {Interval}.", Rows, Interval);
            }
        }
    }
}
