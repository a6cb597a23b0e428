using Npgsql;

[assembly: AssemblyFixture(typeof(UserServices.Tests.Infrastructure.PostgresServer))]

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL cluster for the whole test run (a <see cref="PostgresCluster"/>, the same code the
/// benchmark starts its database with), removed afterwards. TEST_DATABASE_URL points the tests at an existing
/// server instead. Each test class asks it for a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgresCluster? _cluster;
    private int _databaseCounter;

    /// <summary>Connection string of the maintenance database, with rights to create databases.</summary>
    public string AdminConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("TEST_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = UserServices.Api.Database.DatabaseUrl.Parse(external).ConnectionString;
            return;
        }

        if (PostgresCluster.FindBinaries() is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with `apt-get install postgresql`, or set TEST_DATABASE_URL.");
        }

        _cluster = await PostgresCluster.StartAsync();
        AdminConnectionString = _cluster.ConnectionString + ";Pooling=false";
    }

    /// <summary>Creates an empty database and returns its DATABASE_URL in the form operators use.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}_{Interlocked.Increment(ref _databaseCounter)}_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true };
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
