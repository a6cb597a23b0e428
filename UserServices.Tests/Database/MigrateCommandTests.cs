using Npgsql;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary><c>dotnet UserServices.Api.dll migrate</c>, run as the operator runs it.</summary>
public sealed class MigrateCommandTests(PostgresServer server)
{
    private const string AdminPassword = "a long admin passphrase";

    private static Dictionary<string, string?> Environment(string databaseUrl, string adminPassword = AdminPassword) => new()
    {
        ["DATABASE_URL"] = databaseUrl,
        ["SECRET_KEY"] = UserServicesApp.SecretKey,
        ["BCRYPT_WORK_FACTOR"] = "4",
        ["ADMIN_USERNAME"] = "admin",
        ["ADMIN_EMAIL"] = "admin@example.com",
        ["ADMIN_PASSWORD"] = adminPassword,
    };

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Migrate_creates_the_schema_and_the_admin_and_a_second_run_changes_nothing()
    {
        var databaseUrl = await server.CreateDatabaseAsync("migratecmd");

        var first = await ApiProcess.RunAsync(Environment(databaseUrl), "migrate");

        first.ExitCode.ShouldBe(0, first.ToString());
        first.StandardOutput.ShouldContain("Database is up to date.", Case.Sensitive, first.ToString());
        first.StandardOutput.ShouldNotContain("Now listening", Case.Sensitive, first.ToString());
        (await ScalarAsync<long>(databaseUrl, "SELECT count(*) FROM \"__EFMigrationsHistory\"")).ShouldBeGreaterThan(0);
        (await ScalarAsync<string>(databaseUrl,
            "SELECT r.\"Name\" FROM \"Users\" u JOIN \"UserRoles\" ur ON ur.\"UserId\" = u.\"Id\" JOIN \"Roles\" r ON r.\"Id\" = ur.\"RoleId\" WHERE u.\"NormalizedUserName\" = 'ADMIN'"))
            .ShouldBe("admin");
        var hash = await ScalarAsync<string>(databaseUrl, "SELECT \"PasswordHash\" FROM \"Users\" WHERE \"NormalizedUserName\" = 'ADMIN'");
        hash.ShouldStartWith("$2b$04$");

        var second = await ApiProcess.RunAsync(Environment(databaseUrl, "a different admin passphrase"), "migrate");

        second.ExitCode.ShouldBe(0, second.ToString());
        (await ScalarAsync<long>(databaseUrl, "SELECT count(*) FROM \"Users\"")).ShouldBe(1);
        (await ScalarAsync<string>(databaseUrl, "SELECT \"PasswordHash\" FROM \"Users\" WHERE \"NormalizedUserName\" = 'ADMIN'")).ShouldBe(hash);

        // The migrated database serves the admin without migrating again.
        var settings = UserServicesApp.Defaults(databaseUrl);
        settings["Database:MigrateOnStartup"] = "false";
        await using var app = UserServicesApp.Start(settings);
        var token = await app.TokenAsync("admin", AdminPassword);
        JwtParts.Payload(token).GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin"]);
    }

    [Fact]
    public async Task Migrate_with_a_weak_ADMIN_PASSWORD_fails_naming_it_and_creates_no_admin()
    {
        var databaseUrl = await server.CreateDatabaseAsync("migrateweak");

        var result = await ApiProcess.RunAsync(Environment(databaseUrl, "password1"), "migrate");

        result.ExitCode.ShouldNotBe(0, result.ToString());
        (result.StandardOutput + result.StandardError).ShouldContain("ADMIN_PASSWORD is refused by the password policy", Case.Sensitive, result.ToString());
        // Refused before migrating: nothing was created, and no migration lock was left behind.
        (await ScalarAsync<long>(databaseUrl, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).ShouldBe(0);
    }
}
