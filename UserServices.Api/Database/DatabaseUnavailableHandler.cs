using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using UserServices.Api.Hosting;

namespace UserServices.Api.Database;

/// <summary>
/// A database that is down, restarting, out of connections or timing out is the server's temporary trouble, not a
/// bug: 503 with <c>Retry-After</c>, so clients and proxies retry instead of reporting a 500. Whatever the request
/// was writing ran in a transaction that never committed. Bearer authentication lands here too when it cannot load
/// the token's account.
/// </summary>
internal sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    // SQLITE_BUSY and SQLITE_LOCKED: another writer held the file past the busy timeout.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (FindCause(exception) is not { } cause || context.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("Answered 503 to {Method} {Path}: the database is unavailable ({Cause}).",
            context.Request.Method, context.Request.Path, cause.GetType().Name + ": " + cause.Message);
        await ProblemResponses.WriteAsync(context, ProblemResponses.DatabaseUnavailable(), ProblemResponses.DatabaseRetryAfter);
        return true;
    }

    /// <summary>EF Core wraps provider errors (DbUpdateException, InvalidOperationException), so the whole chain is searched.</summary>
    private static Exception? FindCause(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException or SocketException
                or SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return e;
            }
        }

        return null;
    }
}
