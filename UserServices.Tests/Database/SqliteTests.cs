using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>The embedded database `dotnet run` uses when DATABASE_URL is unset.</summary>
public sealed class SqliteTests(PostgresServer server) : IAsyncLifetime
{
    private SqliteService? _sqlite;

    private string DatabasePath => _sqlite!.DatabasePath;

    private UserServicesApp App => _sqlite!.App;

    public ValueTask InitializeAsync()
    {
        _sqlite = new SqliteService("userservices-sqlite-");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }
    }

    [Fact]
    public async Task Register_token_and_profile_work_on_the_embedded_sqlite_file()
    {
        var register = await App.RegisterAsync("sqlite", "sqlite@example.com", "violet tractor umbrella sings");
        register.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await register.ReadJsonAsync()).GetProperty("id").GetInt32();

        var token = await App.TokenAsync("SQLITE", "violet tractor umbrella sings");
        var profile = await App.BearerClient(token).GetAsync("/user/user");

        profile.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await profile.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["username", "email", "id"]);
        body.Str("username").ShouldBe("sqlite");
        body.Str("email").ShouldBe("sqlite@example.com");
        body.GetProperty("id").GetInt32().ShouldBe(id);
        JwtParts.Payload(token).GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["user"]);
        (await App.WithDbAsync(db => Task.FromResult(db is SqliteDbContext))).ShouldBeTrue();
        File.Exists(DatabasePath).ShouldBeTrue();
    }

    [Fact]
    public async Task Failed_logins_lock_the_account_on_sqlite_too()
    {
        (await App.RegisterAsync("locks", "locks@example.com", "violet tractor umbrella sings")).StatusCode.ShouldBe(HttpStatusCode.Created);
        for (var i = 0; i < 5; i++)
        {
            (await App.PostTokenAsync(("username", "locks"), ("password", "guess " + i)))
                .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var user = await App.WithDbAsync(db => db.Users.SingleAsync(u => u.UserName == "locks"));
        user.LockoutEnd.ShouldNotBeNull();
        user.LockoutEnd.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(10));
        user.AccessFailedCount.ShouldBe(0);
        (await App.PostTokenAsync(("username", "locks"), ("password", "violet tractor umbrella sings")))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Duplicates_in_another_case_are_409_on_sqlite_too()
    {
        (await App.RegisterAsync("twin", "twin@example.com", "violet tractor umbrella sings")).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await App.RegisterAsync("TWIN", "twin2@example.com", "violet tractor umbrella sings")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await App.RegisterAsync("twin3", "TWIN@example.com", "violet tractor umbrella sings")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await App.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task Readiness_checks_the_sqlite_database()
    {
        var response = await App.CreateClient().GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Fact]
    public async Task Sqlite_and_postgres_hosts_in_one_process_both_serve_the_profile()
    {
        // The profile query is compiled once per EF model; a query compiled for one provider's model used to be
        // reused for the other's and answer 500.
        await using var postgres = UserServicesApp.Start(UserServicesApp.Defaults(await server.CreateDatabaseAsync("mixedhosts")));
        var sqliteClient = await App.SignedInClientAsync("mixsqlite");
        var postgresClient = await postgres.SignedInClientAsync("mixpostgres");

        (await sqliteClient.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await postgresClient.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sqliteClient.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
