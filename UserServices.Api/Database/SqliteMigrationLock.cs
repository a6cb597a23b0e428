using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace UserServices.Api.Database;

/// <summary>
/// EF Core's migration lock on SQLite is a row in <c>__EFMigrationsLock</c>, taken before migrating and deleted after.
/// A process that dies in between (killed, or — before the seeding fix — crashing in the admin seed) leaves the row,
/// and every later migrate waits for it for ever, silently. SQLite migrations here take seconds, so a row older than
/// <see cref="StaleAfter"/> belongs to no living migrate: it is removed, with a warning. A younger one is waited for
/// until it goes or grows stale.
/// </summary>
internal static class SqliteMigrationLock
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private const string Table = "__EFMigrationsLock";

    public static async Task ClearIfStaleAsync(DbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        // The wall clock, as EF Core's timestamp is (never a test's fake clock).
        var time = TimeProvider.System;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var waited = false;
            while (await TakenAtAsync(connection, cancellationToken) is { } taken)
            {
                var (at, text) = taken;
                if (time.GetUtcNow() - at >= StaleAfter)
                {
                    await using var delete = connection.CreateCommand();
                    // Only the row seen: a migrate that took the lock meanwhile keeps its own.
                    delete.CommandText = $"DELETE FROM \"{Table}\" WHERE \"Id\" = 1 AND \"Timestamp\" = $taken";
                    var parameter = delete.CreateParameter();
                    parameter.ParameterName = "$taken";
                    parameter.Value = text;
                    delete.Parameters.Add(parameter);
                    if (await delete.ExecuteNonQueryAsync(cancellationToken) == 1)
                    {
                        logger.LogWarning(
                            "Removed a migration lock taken at {TakenAt:O} by a migrate that never finished ({Table} in the SQLite file); migrating now.",
                            at, Table);
                    }

                    continue;
                }

                if (!waited)
                {
                    logger.LogInformation("Another migrate holds the SQLite migration lock (taken at {TakenAt:O}); waiting for it.", at);
                    waited = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<(DateTimeOffset At, string Text)?> TakenAtAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = connection.CreateCommand();
        exists.CommandText = $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{Table}'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        await using var read = connection.CreateCommand();
        read.CommandText = $"SELECT \"Timestamp\" FROM \"{Table}\" WHERE \"Id\" = 1";
        if (await read.ExecuteScalarAsync(cancellationToken) is not string text)
        {
            return null;
        }

        // A timestamp that cannot be read is treated as old: nothing this program wrote looks like that.
        return (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue, text);
    }
}
