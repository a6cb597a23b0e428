using Microsoft.EntityFrameworkCore;
using Npgsql;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>
/// What the service adds to DATABASE_URL for PostgreSQL: auto-prepared statements, and no reset of a connection handed
/// back to the pool (the service leaves no session state behind); an operator's own value of either wins.
/// </summary>
public sealed class ConnectionSettingsTests(PostgresServer server)
{
    private static async Task<NpgsqlConnectionStringBuilder> ServiceConnectionAsync(string databaseUrl)
    {
        await using var app = UserServicesApp.Start(UserServicesApp.Defaults(databaseUrl));
        return new NpgsqlConnectionStringBuilder(await app.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString())));
    }

    [Fact]
    public async Task By_default_statements_are_auto_prepared_and_a_returned_connection_is_not_reset()
    {
        var connection = await ServiceConnectionAsync(await server.CreateDatabaseAsync("connection_defaults"));

        connection.MaxAutoPrepare.ShouldBe(32);
        connection.AutoPrepareMinUsages.ShouldBe(2);
        connection.NoResetOnClose.ShouldBeTrue();
    }

    [Fact]
    public async Task The_operators_own_settings_in_the_connection_string_win()
    {
        var url = await server.CreateDatabaseAsync("connection_own");
        var own = new NpgsqlConnectionStringBuilder(url) { NoResetOnClose = false, MaxAutoPrepare = 5 };

        var connection = await ServiceConnectionAsync(own.ConnectionString);

        connection.NoResetOnClose.ShouldBeFalse();
        connection.MaxAutoPrepare.ShouldBe(5);
    }
}
