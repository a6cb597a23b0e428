using Microsoft.EntityFrameworkCore;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Sessions;

/// <summary>
/// Deletes the refresh-token and session rows nobody can use any more — their session has passed its absolute
/// lifetime — so the tables do not grow with every login forever. Revoked rows of live families stay, because reuse detection
/// needs them until the family would have ended anyway.
/// </summary>
public sealed class RefreshTokenCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<RefreshTokenCleanup> logger)
    : HourlyCleanup(time, logger)
{
    protected override string Rows => "sessions and refresh tokens of ended sign-ins";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var now = Time.GetUtcNow().UtcDateTime;
        // Rows point at their successors; dropping those links first lets one DELETE take them in any order.
        await db.RefreshTokens.Where(t => t.FamilyExpiresAt < now && t.ReplacedById != null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ReplacedById, (long?)null), cancellationToken);
        var tokens = await db.RefreshTokens.Where(t => t.FamilyExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        // Then the sessions past their absolute expiry, whose tokens were just deleted. Sessions that ended or went
        // idle earlier stay until then, like their tokens: a stolen token presented later still reads as revoked.
        return tokens + await db.Sessions.Where(s => s.AbsoluteExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }
}
