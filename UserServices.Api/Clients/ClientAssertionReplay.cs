using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using UserServices.Api.RateLimits;
using UserServices.Data;

namespace UserServices.Api.Clients;

/// <summary>
/// Records a client assertion's <c>jti</c> so that it is accepted once, whichever replica it reaches (RFC 7523 §3
/// point 7): one atomic statement decides — <c>SET NX</c> with the assertion's remaining life in Redis while
/// <c>REDIS_URL</c> is set and answers, else an <c>INSERT … ON CONFLICT DO NOTHING</c> on the primary key.
/// </summary>
public sealed class ClientAssertionReplay(RateLimitBackend backend, UserServicesDbContext db, TimeProvider time)
{
    /// <summary>True for the first use of (client, jti); false for every later one until <paramref name="keepUntil"/>.</summary>
    public async Task<bool> TryUseAsync(string clientId, string jti, DateTime keepUntil, CancellationToken cancellationToken)
    {
        if (backend.RedisToTry is { IsConnected: true } redis)
        {
            try
            {
                var life = keepUntil - time.GetUtcNow().UtcDateTime;
                // The client id's length first, so that no (client, jti) pair can spell another's key.
                var key = $"userservices:assertion:{clientId.Length}:{clientId}:{jti}";
                var first = await redis.GetDatabase().StringSetAsync(key, 1, life > TimeSpan.Zero ? life : TimeSpan.FromSeconds(1), When.NotExists);
                backend.RedisAnswered();
                return first;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                // REVIEW: during a Redis outage the database decides; an assertion used through Redis moments before
                // the outage could then be accepted once more within its (at most five-minute) life. Refusing every
                // private_key_jwt client for the outage instead was judged worse.
                backend.RedisFailed(e);
            }
        }

        var expires = DateTime.SpecifyKind(keepUntil, DateTimeKind.Utc);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "ClientAssertionUses" ("ClientId", "Jti", "ExpiresAt") VALUES ({clientId}, {jti}, {expires}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        return inserted == 1;
    }
}
