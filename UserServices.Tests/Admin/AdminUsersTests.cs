using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>Finding, reading, changing, locking and removing accounts through /admin/users, on PostgreSQL.</summary>
public sealed class AdminUsersTests(AdminUsersTests.Fixture fixture) : IClassFixture<AdminUsersTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : AdminFixture<AdminUsersTests>(server);

    private const string Password = AdminFixture<AdminUsersTests>.Password;

    private static readonly string[] UserAndAdmin = ["user", "admin"];
    private static readonly string[] Superuser = ["superuser"];

    private UserServicesApp App => fixture.App;

    private static int[] Ids(JsonElement page) => [.. page.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetInt32())];

    [Fact]
    public async Task Every_answer_carrying_account_data_is_no_store()
    {
        var id = await fixture.RegisterAsync("cached-nowhere");
        var admin = await fixture.ClientOfAsync();
        var user = App.BearerClient(await App.TokenAsync("cached-nowhere", Password));

        // The profile, the admin views, the audit log, and an error behind authorization (OWASP ASVS 5.0 14.3.2).
        foreach (var (client, path, status) in new[]
        {
            (user, "/user/user", HttpStatusCode.OK),
            (admin, "/admin/users", HttpStatusCode.OK),
            (admin, $"/admin/users/{id}", HttpStatusCode.OK),
            (admin, "/admin/audit", HttpStatusCode.OK),
            (admin, "/admin/users/999999", HttpStatusCode.NotFound),
        })
        {
            var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(status, path);
            response.Headers.CacheControl.ShouldNotBeNull(path).NoStore.ShouldBeTrue(path);
        }
    }

    [Fact]
    public async Task List_finds_by_the_start_of_username_or_email_case_insensitively_in_pages_by_id()
    {
        var a = await fixture.RegisterAsync("Finder-A");
        var b = await fixture.RegisterAsync("finder-b");
        var c = await fixture.RegisterAsync("finder-c");
        await App.RegisterAsync("other-finder", "finder-d@elsewhere.example.com", Password);
        var d = await fixture.IdOfAsync("other-finder");
        var admin = await fixture.ClientOfAsync();

        var first = await (await admin.GetAsync("/admin/users?search=FINDER-&limit=2")).ReadJsonAsync();
        Ids(first).ShouldBe([a, b]);
        var user = first.GetProperty("users")[0];
        user.PropertyNames().ShouldBe(["id", "username", "email", "roles", "created_at", "last_login_at", "locked_until", "failed_login_count", "mfa"]);
        user.Str("username").ShouldBe("Finder-A");
        user.Str("email").ShouldBe("Finder-A@example.com");
        user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["user"]);
        user.GetProperty("created_at").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        user.GetProperty("last_login_at").ValueKind.ShouldBe(JsonValueKind.Null);
        user.GetProperty("locked_until").ValueKind.ShouldBe(JsonValueKind.Null);
        user.GetProperty("failed_login_count").GetInt32().ShouldBe(0);
        user.GetProperty("mfa").GetBoolean().ShouldBeFalse();

        var second = await (await admin.GetAsync($"/admin/users?search=finder-&limit=2&cursor={first.Str("next_cursor")}")).ReadJsonAsync();
        Ids(second).ShouldBe([c, d]);
        second.GetProperty("next_cursor").ValueKind.ShouldBe(JsonValueKind.Null);
        var all = await (await admin.GetAsync("/admin/users?search=finder-&limit=200")).ReadJsonAsync();
        Ids(all).ShouldBe([a, b, c, d]);
    }

    [Fact]
    public async Task Paging_while_accounts_are_being_created_returns_every_account_once()
    {
        var before = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            before.Add(await fixture.RegisterAsync($"steady{i:D2}"));
        }

        var admin = await fixture.ClientOfAsync();
        using var stop = new CancellationTokenSource();
        var inserting = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                await App.RegisterAsync($"steady-new{n}", $"steady-new{n}@example.com", Password);
                n++;
            }

            return n;
        });

        var seen = new List<int>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("/admin/users?search=steady&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).ReadJsonAsync();
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("next_cursor").GetString();
            await Task.Yield();
        }
        while (cursor is not null && seen.Count < 400);

        await stop.CancelAsync();
        (await inserting).ShouldBeGreaterThan(0, "accounts must have been created while paging");
        seen.Distinct().Count().ShouldBe(seen.Count, "no account may appear twice");
        before.Except(seen).ShouldBeEmpty("every account that existed before paging must appear");
        seen.ShouldBe([.. seen.Order()]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    [InlineData("cursor=LTE", "cursor")]
    public async Task A_bad_limit_or_cursor_is_400_naming_it(string query, string parameter)
    {
        var admin = await fixture.ClientOfAsync();

        var body = await (await admin.GetAsync($"/admin/users?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest,
            detail: "The query has invalid parameters; see 'errors'.");

        body.GetProperty("errors").PropertyNames().ShouldBe([parameter]);
    }

    [Fact]
    public async Task Get_shows_active_sessions_and_last_login_and_an_unknown_id_is_404()
    {
        var id = await fixture.RegisterAsync("sessions");
        await App.SignInAsync("sessions", Password);
        var ended = await App.SignInAsync("sessions", Password);
        (await App.BearerClient(ended.AccessToken).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var admin = await fixture.ClientOfAsync();

        var body = await (await admin.GetAsync($"/admin/users/{id}")).ReadJsonAsync();

        body.GetProperty("active_sessions").GetInt32().ShouldBe(1);
        body.GetProperty("last_login_at").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        await (await admin.GetAsync("/admin/users/999999")).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: "There is no account with this id.");
    }

    [Fact]
    public async Task Lock_stops_existing_access_and_refresh_tokens_at_once_and_unlock_lets_the_user_back()
    {
        var id = await fixture.RegisterAsync("to-lock");
        var session = await App.SignInAsync("to-lock", Password);
        (await App.PostTokenAsync(("username", "to-lock"), ("password", "wrong password"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var admin = await fixture.ClientOfAsync();

        (await fixture.LockAsync(admin, id, reason: "phishing report")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        (await App.RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.PostTokenAsync(("username", "to-lock"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var locked = await (await admin.GetAsync($"/admin/users/{id}")).ReadJsonAsync();
        locked.GetProperty("locked_until").GetDateTimeOffset().Year.ShouldBe(9999);
        locked.GetProperty("active_sessions").GetInt32().ShouldBe(0);
        var lockEvent = (await fixture.EventsAsync(id, "account.locked")).ShouldHaveSingleItem();
        lockEvent.Actor.ShouldBe("root");
        lockEvent.ActorId.ShouldBe(await fixture.IdOfAsync("root"));
        lockEvent.Ip.ShouldBe(AdminFixture<AdminUsersTests>.AdminPeer);
        lockEvent.UserAgent.ShouldBe("admin-tests/1.0");
        lockEvent.Detail.ShouldBe("by admin until indefinitely; reason: phishing report");

        (await admin.PostAsync($"/admin/users/{id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var unlocked = await (await admin.GetAsync($"/admin/users/{id}")).ReadJsonAsync();
        unlocked.GetProperty("locked_until").ValueKind.ShouldBe(JsonValueKind.Null);
        unlocked.GetProperty("failed_login_count").GetInt32().ShouldBe(0);
        await App.SignInAsync("to-lock", Password);
        (await fixture.EventsAsync(id, "account.unlocked")).ShouldHaveSingleItem().Actor.ShouldBe("root");
        // The tokens from before the lock stay dead after the unlock.
        await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Lock_until_a_time_is_kept_and_a_past_time_is_400_naming_until()
    {
        var id = await fixture.RegisterAsync("lock-until");
        var admin = await fixture.ClientOfAsync();

        var past = await fixture.LockAsync(admin, id, DateTimeOffset.UtcNow.AddMinutes(-1));
        (await past.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").PropertyNames().ShouldBe(["until"]);
        (await fixture.EventsAsync(id, "account.locked")).ShouldBeEmpty();

        // Sent with another offset: stored (and answered) as the same instant in UTC.
        var until = new DateTimeOffset(2099, 1, 2, 5, 4, 5, TimeSpan.FromHours(2));
        (await fixture.LockAsync(admin, id, until)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var lockedUntil = (await (await admin.GetAsync($"/admin/users/{id}")).ReadJsonAsync()).GetProperty("locked_until").GetDateTimeOffset();
        lockedUntil.ShouldBe(until);
        lockedUntil.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task Delete_refuses_the_users_tokens_at_once_and_keeps_the_audit_trail()
    {
        var id = await fixture.RegisterAsync("to-delete");
        var session = await App.SignInAsync("to-delete", Password);
        var admin = await fixture.ClientOfAsync();

        (await admin.DeleteAsync($"/admin/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await App.RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.WithDbAsync(db => db.RefreshTokens.CountAsync(t => t.UserId == id))).ShouldBe(0);
        (await admin.GetAsync($"/admin/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"/admin/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var deleted = (await fixture.EventsAsync(id, "user.deleted")).ShouldHaveSingleItem();
        deleted.UserName.ShouldBe("to-delete");
        deleted.Actor.ShouldBe("root");
        (await fixture.EventsAsync(id, "user.registered")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Patch_merges_fields_ends_the_users_tokens_and_records_what_changed()
    {
        var id = await fixture.RegisterAsync("patch-me");
        var session = await App.SignInAsync("patch-me", Password);
        var admin = await fixture.ClientOfAsync();

        var response = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { email = "patched@example.com", roles = UserAndAdmin });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        body.Str("username").ShouldBe("patch-me");
        body.Str("email").ShouldBe("patched@example.com");
        body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin", "user"]);
        await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        (await App.RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.EventsAsync(id, "user.updated")).ShouldHaveSingleItem().Detail.ShouldBe("changed: email");
        (await fixture.EventsAsync(id, "roles.changed")).ShouldHaveSingleItem().Detail.ShouldBe("roles: [user] -> [admin, user]");
        JwtParts.Payload(await App.TokenAsync("patch-me", Password)).GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin", "user"], ignoreOrder: true);
    }

    [Fact]
    public async Task Patch_with_invalid_fields_is_400_listing_each_and_a_taken_name_is_409_and_nothing_changes()
    {
        var id = await fixture.RegisterAsync("patch-bad");
        await fixture.RegisterAsync("patch-taken");
        var admin = await fixture.ClientOfAsync();

        var invalid = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { username = "", email = "not-an-email", roles = Superuser });
        var errors = (await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The change has invalid fields; see 'errors'.")).GetProperty("errors");
        errors.PropertyNames().Order().ShouldBe(["email", "roles", "username"]);

        var taken = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { username = "PATCH-TAKEN" });
        await taken.ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: "That username or email is already registered.");

        var unchanged = await (await admin.GetAsync($"/admin/users/{id}")).ReadJsonAsync();
        unchanged.Str("username").ShouldBe("patch-bad");
        unchanged.Str("email").ShouldBe("patch-bad@example.com");
        (await fixture.EventsAsync(id, "user.updated")).ShouldBeEmpty();
        (await fixture.EventsAsync(id, "roles.changed")).ShouldBeEmpty();
        (await admin.PatchAsJsonAsync("/admin/users/999999", new { username = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Set_password_applies_the_policy_and_ends_every_session()
    {
        var id = await fixture.RegisterAsync("reset-me");
        var session = await App.SignInAsync("reset-me", Password);
        var admin = await fixture.ClientOfAsync();

        var weak = await admin.PutAsJsonAsync($"/admin/users/{id}/password", new { new_password = "short" });
        (await weak.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").PropertyNames().ShouldBe(["new_password"]);
        var control = await admin.PutAsJsonAsync($"/admin/users/{id}/password", new { new_password = "a brand\0new passphrase" });
        (await control.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").PropertyNames().ShouldBe(["new_password"]);
        (await fixture.EventsAsync(id, "password.set_by_admin")).ShouldBeEmpty();

        (await admin.PutAsJsonAsync($"/admin/users/{id}/password", new { new_password = "a brand new passphrase" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        (await App.RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.PostTokenAsync(("username", "reset-me"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await App.SignInAsync("reset-me", "a brand new passphrase");
        var set = (await fixture.EventsAsync(id, "password.set_by_admin")).ShouldHaveSingleItem();
        set.Actor.ShouldBe("root");
        set.Detail.ShouldBeNull();
        App.Logs.ShouldNotContain(line => line.Contains("a brand new passphrase", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logout_ends_every_session_without_locking()
    {
        var id = await fixture.RegisterAsync("log-me-out");
        var first = await App.SignInAsync("log-me-out", Password);
        var second = await App.SignInAsync("log-me-out", Password);
        var admin = await fixture.ClientOfAsync();

        (await admin.PostAsync($"/admin/users/{id}/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var session in new[] { first, second })
        {
            await (await App.BearerClient(session.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
            (await App.RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        await App.SignInAsync("log-me-out", Password);
        (await fixture.EventsAsync(id, "sessions.ended_by_admin")).ShouldHaveSingleItem().Actor.ShouldBe("root");
    }
}
