using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>The core of the admin flow on the embedded SQLite database `dotnet run` uses without DATABASE_URL.</summary>
public sealed class AdminSqliteTests : IAsyncLifetime
{
    private const string Password = "violet tractor umbrella sings";
    private SqliteService? _sqlite;

    private UserServicesApp App => _sqlite!.App;

    public ValueTask InitializeAsync()
    {
        _sqlite = new SqliteService("userservices-sqlite-admin-", new Dictionary<string, string?>
        {
            ["ADMIN_USERNAME"] = "root",
            ["ADMIN_EMAIL"] = "root@example.com",
            ["ADMIN_PASSWORD"] = Password,
        });
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
    public async Task Find_patch_lock_unlock_delete_and_read_the_audit_log_on_sqlite()
    {
        (await App.WithDbAsync(db => Task.FromResult(db is SqliteDbContext))).ShouldBeTrue();
        var session = await App.RegisterAndSignInAsync("lite", Password);
        var admin = App.ClientFrom("192.0.2.44");
        admin.DefaultRequestHeaders.Authorization = new("Bearer", await App.TokenAsync("root", Password));

        var page = await (await admin.GetAsync("/admin/users?search=LI&limit=1")).ReadJsonAsync();
        var user = page.GetProperty("users").EnumerateArray().ShouldHaveSingleItem();
        user.Str("username").ShouldBe("lite");
        var id = user.GetProperty("id").GetInt32();
        user.GetProperty("created_at").GetDateTimeOffset().Offset.ShouldBe(TimeSpan.Zero);

        var patched = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { email = "lite2@example.com" });
        patched.StatusCode.ShouldBe(HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();

        (await admin.PostAsJsonAsync($"/admin/users/{id}/lock", new { until = (DateTimeOffset?)null, reason = "test" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await App.PostTokenAsync(("username", "lite"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await admin.PostAsync($"/admin/users/{id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var again = await App.SignInAsync("lite", Password);

        (await admin.DeleteAsync($"/admin/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await App.BearerClient(again.AccessToken).GetAsync("/user/user")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await App.RefreshAsync(again.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var audit = await (await admin.GetAsync($"/admin/audit?user_id={id}")).ReadJsonAsync();
        audit.GetProperty("events").EnumerateArray().Select(e => e.Str("action")).ShouldBe(
            ["user.deleted", "login.succeeded", "account.unlocked", "login.locked_out", "account.locked", "user.updated", "login.succeeded", "user.registered"]);
        audit.GetProperty("events")[0].Str("ip").ShouldBe("192.0.2.44");
        audit.GetProperty("events")[0].Str("actor").ShouldBe("root");
        (await App.WithDbAsync(db => db.Users.CountAsync(u => u.Id == id))).ShouldBe(0);
    }
}
