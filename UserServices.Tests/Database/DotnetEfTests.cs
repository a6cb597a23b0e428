using Npgsql;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>
/// The README's other way to migrate: <c>dotnet ef database update --context PostgresDbContext</c> from
/// <c>UserServices.Api</c> with <c>DATABASE_URL</c> set. The tool starts the program to reach its services (passing
/// <c>--applicationName</c>, which the command line must accept), applies the migrations, and the seeding hooks create
/// the admin account.
/// </summary>
public sealed class DotnetEfTests(PostgresServer server)
{
    [Fact]
    public async Task Database_update_through_dotnet_ef_migrates_and_seeds_the_admin()
    {
        var url = await server.CreateDatabaseAsync("dotnetef");
        var api = RepositoryFiles.PathOf("UserServices.Api");
        var restore = await ExternalCommand.RunAsync("dotnet", ["tool", "restore"], TimeSpan.FromMinutes(3), workingDirectory: api);
        restore.ExitCode.ShouldBe(0, restore.ToString());

        // --no-build: the test run has built the project already (and a second build could race the test host's).
        var update = await ExternalCommand.RunAsync("dotnet", ["ef", "database", "update", "--context", "PostgresDbContext", "--no-build"],
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string?>
            {
                ["DATABASE_URL"] = url,
                ["ADMIN_USERNAME"] = "efadmin",
                ["ADMIN_EMAIL"] = "efadmin@example.com",
                ["ADMIN_PASSWORD"] = "a long admin passphrase",
                ["BCRYPT_WORK_FACTOR"] = "4",
            },
            api);

        update.ExitCode.ShouldBe(0, update.ToString());
        update.StandardOutput.ShouldContain("Done.", Case.Sensitive, update.ToString());
        await using var connection = new NpgsqlConnection(url);
        await connection.OpenAsync();
        await using var pending = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        var applied = (long)(await pending.ExecuteScalarAsync())!;
        applied.ShouldBe(Directory.GetFiles(RepositoryFiles.PathOf("UserServices.Data/Migrations/Postgres"), "*.Designer.cs").Length);
        await using var admin = new NpgsqlCommand(
            "SELECT count(*) FROM \"Users\" u JOIN \"UserRoles\" ur ON ur.\"UserId\" = u.\"Id\" JOIN \"Roles\" r ON r.\"Id\" = ur.\"RoleId\" "
            + "WHERE u.\"UserName\" = 'efadmin' AND r.\"Name\" = 'admin'", connection);
        ((long)(await admin.ExecuteScalarAsync())!).ShouldBe(1);
    }
}
