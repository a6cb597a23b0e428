using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Data;

namespace UserServices.Api.Audit;

/// <summary>Deletes audit events older than <c>Audit:RetentionDays</c>, every hour.</summary>
public sealed class AuditCleanup(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        return await db.AuditEvents.Where(e => e.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await DeleteExpiredAsync(stoppingToken);
                logger.LogInformation("Deleted {Count} audit events past their retention.", deleted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A missed round is harmless; the next one catches up.
                logger.LogWarning(e, "Audit cleanup failed; retrying in {Interval}.", Interval);
            }
        }
    }
}
