using Microsoft.EntityFrameworkCore;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Mfa;

/// <summary>Deletes <c>mfa_token</c> rows past their five minutes (used or not): an expired one is refused for its age.</summary>
public sealed class MfaChallengeCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<MfaChallengeCleanup> logger)
    : HourlyCleanup(time, logger)
{
    protected override string Rows => "mfa_token rows past their expiry";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var now = Time.GetUtcNow().UtcDateTime;
        return await db.MfaChallenges.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }
}
