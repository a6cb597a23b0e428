using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserServices.Api.Database;

/// <summary>
/// Makes SQLite itself wait for a lock another writer holds, for as long as a command may run. Microsoft.Data.Sqlite
/// only retries a busy statement's first step; a <c>DELETE … RETURNING</c> or <c>UPDATE … RETURNING</c> (the
/// single-use takes: passkey ceremonies, MFA steps, refresh rotation) commits at a later step, while its rows are read,
/// and without SQLite's busy handler that commit fails at once with "database is locked" when concurrent readers hold
/// the file. With it, concurrent writers queue as they do on PostgreSQL; past the timeout the error is still a 503
/// (<see cref="DatabaseUnavailableHandler"/>).
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        // The same bound the driver gives its own retries: the connection's default command timeout (30 s).
        var milliseconds = ((SqliteConnection)connection).DefaultTimeout * 1000;
        command.CommandText = "PRAGMA busy_timeout = " + milliseconds.ToString(CultureInfo.InvariantCulture);
        return command;
    }
}
