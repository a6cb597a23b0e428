using Microsoft.EntityFrameworkCore;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Passkeys;

/// <summary>Deletes the passkey ceremonies nobody finished: an expired one is refused anyway.</summary>
public sealed class PasskeyCeremonyCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<PasskeyCeremonyCleanup> logger)
    : HourlyCleanup(time, logger)
{
    protected override string Rows => "passkey ceremonies past their expiry";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var now = Time.GetUtcNow().UtcDateTime;
        return await db.PasskeyCeremonies.Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
