using Microsoft.EntityFrameworkCore;
using UserServices.Api.Hosting;
using UserServices.Data;

namespace UserServices.Api.Clients;

/// <summary>Deletes the recorded assertion ids whose assertions have expired: an expired assertion is refused for its age.</summary>
public sealed class ClientAssertionCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<ClientAssertionCleanup> logger)
    : HourlyCleanup(time, logger)
{
    protected override string Rows => "used client assertion ids past their expiry";

    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var now = Time.GetUtcNow().UtcDateTime;
        return await db.ClientAssertionUses.Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }
}
