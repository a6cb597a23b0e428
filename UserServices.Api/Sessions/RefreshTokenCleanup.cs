using Microsoft.EntityFrameworkCore;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Sessions;

/// <summary>
/// Deletes refresh-token rows nobody can use any more — their family has passed its absolute lifetime — so the
/// table does not grow with every login forever. Revoked rows of live families stay, because reuse detection
/// needs them until the family would have ended anyway.
/// </summary>
public sealed class RefreshTokenCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<RefreshTokenCleanup> logger)
    : HourlyCleanup(time, logger)
{
    protected override string Rows => "refresh tokens of ended sign-ins";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var now = Time.GetUtcNow().UtcDateTime;
        // Rows point at their successors; dropping those links first lets one DELETE take them in any order.
        await db.RefreshTokens.Where(t => t.FamilyExpiresAt < now && t.ReplacedById != null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ReplacedById, (long?)null), cancellationToken);
        return await db.RefreshTokens.Where(t => t.FamilyExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }
}
