using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

public sealed class AdminSeedingTests(PostgresServer server)
{
    private const string AdminPassword = "a long admin passphrase";

    private static Dictionary<string, string?> AdminSettings(string databaseUrl, string password)
    {
        var settings = UserServicesApp.Defaults(databaseUrl);
        settings["ADMIN_USERNAME"] = "admin";
        settings["ADMIN_EMAIL"] = "admin@example.com";
        settings["ADMIN_PASSWORD"] = password;
        return settings;
    }

    [Fact]
    public async Task Admin_is_created_at_start_with_the_admin_role_and_its_token_says_so()
    {
        await using var app = UserServicesApp.Start(AdminSettings(await server.CreateDatabaseAsync("seedadmin"), AdminPassword));

        var roles = await app.WithDbAsync(db =>
            (from u in db.Users
             join ur in db.UserRoles on u.Id equals ur.UserId
             join r in db.Roles on ur.RoleId equals r.Id
             where u.UserName == "admin"
             select r.Name).ToListAsync());
        roles.ShouldBe(["admin"]);

        var token = await app.TokenAsync("admin", AdminPassword);
        var payload = JwtParts.Payload(token);
        payload.GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin"]);
        payload.Str("email").ShouldBe("admin@example.com");
        var profile = await (await app.BearerClient(token).GetAsync("/user/user")).ReadJsonAsync();
        profile.Str("username").ShouldBe("admin");
    }

    [Fact]
    public async Task Restart_with_another_ADMIN_PASSWORD_never_overwrites_the_admins_password()
    {
        var databaseUrl = await server.CreateDatabaseAsync("seedtwice");
        await using (var first = UserServicesApp.Start(AdminSettings(databaseUrl, AdminPassword)))
        {
            await first.TokenAsync("admin", AdminPassword);
        }

        await using var second = UserServicesApp.Start(AdminSettings(databaseUrl, "a different admin passphrase"));

        await second.TokenAsync("admin", AdminPassword);
        (await second.PostTokenAsync(("username", "admin"), ("password", "a different admin passphrase"))).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
        (await second.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedUserName == "ADMIN"))).ShouldBe(1);
    }

    [Fact]
    public async Task No_admin_settings_means_no_admin()
    {
        await using var app = UserServicesApp.Start(UserServicesApp.Defaults(await server.CreateDatabaseAsync("seednone")));

        (await app.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(0);
    }

    private static async Task<ProcessResult> StartAsync(Dictionary<string, string?> settings)
    {
        settings.Remove("Logging:LogLevel:Default");
        foreach (var key in settings.Keys.Where(k => k.Contains(':', StringComparison.Ordinal)).ToList())
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = settings[key];
            settings.Remove(key);
        }

        // The service as an operator starts it: a refused setting must stop it with one line, before it migrates.
        return await ApiProcess.RunAsync(settings);
    }

    [Theory]
    [InlineData("password1", "Password is too common or too easy to guess")]
    [InlineData("short", "Password must be at least 8 characters.")]
    [InlineData("admin@example.com", "Password must not be the username or the email address.")]
    public async Task ADMIN_PASSWORD_that_breaks_the_policy_stops_the_start_naming_it(string password, string reason)
    {
        var databaseUrl = await server.CreateDatabaseAsync("seedweak");

        var result = await StartAsync(AdminSettings(databaseUrl, password));

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldStartWith("Configuration error: ADMIN_PASSWORD is refused by the password policy:", Case.Sensitive, result.ToString());
        result.StandardError.ShouldContain(reason, Case.Sensitive, result.ToString());
        (result.StandardOutput + result.StandardError).ShouldNotContain(password, Case.Sensitive, "the refused password is not echoed into logs");
        // Refused before migrating: the database is as it was, and no migration lock was taken.
        await using var check = new Npgsql.NpgsqlConnection(databaseUrl);
        await check.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", check);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);
    }

    [Fact]
    public async Task Partial_admin_settings_stop_the_start_naming_the_missing_ones()
    {
        var settings = AdminSettings(await server.CreateDatabaseAsync("seedpartial"), AdminPassword);
        settings.Remove("ADMIN_EMAIL");

        var result = await StartAsync(settings);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.Trim().ShouldBe(
            "Configuration error: Admin seeding needs all three of ADMIN_USERNAME, ADMIN_EMAIL and ADMIN_PASSWORD; set the missing ones or unset all three.");
    }
}
