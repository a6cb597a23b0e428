using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Audit;

/// <summary>Deletes audit events older than <c>Audit:RetentionDays</c>, every hour.</summary>
public sealed class AuditCleanup(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCleanup> logger)
    : HourlyCleanup(time, logger)
{
    protected override string Rows => "audit events past their retention";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        return await db.AuditEvents.Where(e => e.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
