using System.Data.Common;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using UserServices.Data;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>
/// The upgrade that keys email addresses by their UTS #46 domain, run on a database made by the previous migration
/// and holding accounts the old keys let in: it re-keys them, keeps both accounts of a colliding pair, logs them and
/// lets the admin API list them, on both providers, without failing the start.
/// </summary>
public sealed class EmailKeyUpgradeTests(PostgresServer server)
{
    private const string Password = "correct horse battery";
    private const string FullwidthAlice = "alice@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com";

    [Fact]
    public Task On_postgresql_colliding_accounts_are_both_kept_logged_and_listed() => UpgradeAsync(async () =>
    {
        var url = await server.CreateDatabaseAsync(nameof(EmailKeyUpgradeTests));
        var options = new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(url).Options;
        return (url, new PostgresDbContext(options), () => new NpgsqlConnection(url), new Dictionary<string, string?> { ["DATABASE_URL"] = url });
    });

    [Fact]
    public async Task On_sqlite_colliding_accounts_are_both_kept_logged_and_listed()
    {
        var directory = Directory.CreateTempSubdirectory("userservices-emailkeys-").FullName;
        try
        {
            var path = Path.Combine(directory, "users.db");
            await UpgradeAsync(() =>
            {
                var options = new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={path}").Options;
                return Task.FromResult<(string, DbContext, Func<DbConnection>, Dictionary<string, string?>)>(
                    (path, new SqliteDbContext(options), () => new SqliteConnection($"Data Source={path}"),
                        new Dictionary<string, string?> { ["DATABASE_URL"] = null, ["Database:SqlitePath"] = path }));
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task UpgradeAsync(Func<Task<(string Url, DbContext Db, Func<DbConnection> Connect, Dictionary<string, string?> Settings)>> make)
    {
        var (_, db, connect, settings) = await make();
        await using (db)
        {
            // The schema as the previous release left it.
            await db.GetService<IMigrator>().MigrateAsync("OutboxRequester");
        }

        await using (var connection = connect())
        {
            await connection.OpenAsync();
            foreach (var (name, email, key) in new[]
            {
                ("alice", "alice@example.com", "ALICE@EXAMPLE.COM"),
                ("alice-lookalike", FullwidthAlice, FullwidthAlice.ToUpperInvariant()),
                ("bob", "bob@exam\u00ADple.com", "BOB@EXAM\u00ADPLE.COM"),
                ("carol", "carol@b\u00FCcher.de", "CAROL@B\u00DCCHER.DE"),
            })
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO \"Users\" (\"UserName\", \"NormalizedUserName\", \"Email\", \"NormalizedEmail\", \"EmailConfirmed\", " +
                    "\"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\", \"SecurityStamp\") " +
                    $"VALUES ('{name}', '{name.ToUpperInvariant()}', '{email}', '{key}', false, false, false, true, 0, 'stamp')";
                await insert.ExecuteNonQueryAsync();
            }
        }

        var appSettings = UserServicesApp.Defaults("");
        foreach (var (key, value) in settings)
        {
            appSettings[key] = value;
        }

        appSettings["ADMIN_USERNAME"] = "root";
        appSettings["ADMIN_EMAIL"] = "root@example.com";
        appSettings["ADMIN_PASSWORD"] = Password;
        await using var app = UserServicesApp.Start(appSettings);

        var rows = await app.WithDbAsync(d => d.Users.OrderBy(u => u.Id).Select(u => new { u.Id, u.UserName, u.NormalizedEmail, u.EmailCollidesWithId }).ToListAsync());
        var alice = rows.Single(r => r.UserName == "alice");
        var lookalike = rows.Single(r => r.UserName == "alice-lookalike");
        alice.NormalizedEmail.ShouldBe("ALICE@EXAMPLE.COM");
        alice.EmailCollidesWithId.ShouldBeNull();
        lookalike.NormalizedEmail.ShouldBe(FullwidthAlice.ToUpperInvariant());
        lookalike.EmailCollidesWithId.ShouldBe(alice.Id);
        rows.Single(r => r.UserName == "bob").NormalizedEmail.ShouldBe("BOB@EXAMPLE.COM");
        rows.Single(r => r.UserName == "carol").NormalizedEmail.ShouldBe("CAROL@XN--BCHER-KVA.DE");
        app.Logs.ShouldContain(line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains($"alice-lookalike (id {lookalike.Id}) and alice (id {alice.Id})", StringComparison.Ordinal));

        var admin = app.BearerClient(await app.TokenAsync("root", Password));
        var listed = await admin.GetAsync("/admin/users/email-collisions");
        listed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var pair = (await listed.ReadJsonAsync()).EnumerateArray().ShouldHaveSingleItem();
        pair.PropertyNames().ShouldBe(["user_id", "username", "email", "collides_with_user_id", "collides_with_username", "collides_with_email"]);
        pair.GetProperty("user_id").GetInt32().ShouldBe(lookalike.Id);
        pair.Str("email").ShouldBe(FullwidthAlice);
        pair.GetProperty("collides_with_user_id").GetInt32().ShouldBe(alice.Id);
        pair.Str("collides_with_email").ShouldBe("alice@example.com");
        // And a new look-alike still cannot register.
        (await app.RegisterAsync("alice-third", "alice@exam\u200Bple.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
