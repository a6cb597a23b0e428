using Npgsql;

namespace LoadGen;

/// <summary>
/// Reads what the service did to the bench database from PostgreSQL's statistics, over the <c>postgres</c>
/// maintenance database so that these reads are not counted themselves.
/// </summary>
internal sealed class DatabaseCounters(string connectionString, string database, bool statements)
{
    /// <summary>
    /// A backend reports its transaction and row counts when it goes idle, at most once a second; what it holds back
    /// then is sent by a timer 10 s later (PGSTAT_IDLE_INTERVAL in PostgreSQL 15). pg_stat_statements counts at once.
    /// So a snapshot is exact only after 10 s without requests: before the first request of a phase (the previous
    /// phase's last counts must not land in this one) and after its last answer.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    /// <summary>Whether pg_stat_statements is loaded (bench/run.sh asks pg-start to preload it).</summary>
    public bool CountsStatements => statements;

    /// <param name="databaseUrl">The service's connection string (keyword form), naming the bench database.</param>
    public static async Task<DatabaseCounters> OpenAsync(string databaseUrl)
    {
        var builder = new NpgsqlConnectionStringBuilder(databaseUrl);
        var database = builder.Database ?? throw new ArgumentException("The database URL names no database.", nameof(databaseUrl));
        builder.Database = "postgres";
        var counters = new DatabaseCounters(builder.ConnectionString, database, statements: false);
        await using var connection = await counters.OpenConnectionAsync();
        try
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync();
            await using var probe = new NpgsqlCommand("SELECT count(*) FROM pg_stat_statements", connection);
            await probe.ExecuteScalarAsync();
            return new DatabaseCounters(builder.ConnectionString, database, statements: true);
        }
        catch (PostgresException e)
        {
            // Not preloaded (another server than pg-start's, or the package lacks it): rows and transactions only.
            Console.WriteLine($"pg_stat_statements unavailable ({e.MessageText}): no statement counts.");
            return counters;
        }
    }

    /// <summary>A snapshot once every count of the requests so far has reached the statistics (see <see cref="Settle"/>).</summary>
    public async Task<DatabaseSnapshot> SettledAsync()
    {
        await Task.Delay(Settle);
        return await ReadAsync();
    }

    /// <summary>Runs a phase of one load between two settled snapshots: PostgreSQL's work per request it sent.</summary>
    public async Task<(PhaseResult Phase, DatabaseUse Use)> AroundAsync(Func<Task<PhaseResult>> phase)
    {
        var before = await SettledAsync();
        var result = await phase();
        var after = await SettledAsync();
        return (result, after.Since(before, result.Loads.Single().Sent));
    }

    private async Task<DatabaseSnapshot> ReadAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await using var totals = new NpgsqlCommand(
            "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        long commits, rollbacks, inserted, updated, deleted;
        await using (var reader = await totals.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                throw new InvalidOperationException($"pg_stat_database has no row for {database}.");
            }

            (commits, rollbacks, inserted, updated, deleted) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }

        return new DatabaseSnapshot(commits, rollbacks, inserted, updated, deleted, statements ? await StatementsAsync(connection) : null);
    }

    private async Task<Dictionary<string, long>> StatementsAsync(NpgsqlConnection connection)
    {
        // One text can have several entries (per role, per top-level flag): summed.
        await using var command = new NpgsqlCommand(
            "SELECT s.query, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 GROUP BY s.query",
            connection)
        {
            Parameters = { new() { Value = database } },
        };
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            calls[reader.GetString(0)] = reader.GetInt64(1);
        }

        return calls;
    }

    private async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
