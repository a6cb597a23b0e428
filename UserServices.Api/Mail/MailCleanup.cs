using Microsoft.EntityFrameworkCore;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Mail;

/// <summary>
/// Deletes outbox rows a week after they were sent, skipped or given up, and mailed tokens a week after they expired:
/// kept that long to answer "did the mail go out?", then nobody needs them.
/// </summary>
public sealed class MailCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<MailCleanup> logger) : HourlyCleanup(time, logger)
{
    private static readonly TimeSpan KeepDone = TimeSpan.FromDays(7);

    protected override string Rows => "finished outbox mails and expired mailed tokens";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var before = Time.GetUtcNow().UtcDateTime - KeepDone;
        return await db.MailOutbox.Where(m => m.DoneAt != null && m.DoneAt < before).ExecuteDeleteAsync(cancellationToken)
            + await db.AccountTokens.Where(t => t.ExpiresAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}
