using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Admin;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Audit;

/// <summary>What the audit log records for sign-ins, sessions and account changes, and how /admin/audit reads it.</summary>
public sealed class AuditLogTests(AuditLogTests.Fixture fixture) : IClassFixture<AuditLogTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : AdminFixture<AuditLogTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["Lockout:MaxFailedAttempts"] = "3";
        }
    }

    private const string Password = AdminFixture<AuditLogTests>.Password;
    private const string Peer = "198.51.100.23";

    private UserServicesApp App => fixture.App;

    private async Task<HttpResponseMessage> LoginAsync(string username, string password, string userAgent = "curl/8.0")
    {
        var client = App.ClientFrom(Peer);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return await client.PostAsync("/user/token", new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", password)]));
    }

    [Fact]
    public async Task Sign_ins_are_recorded_with_the_client_address_and_agent_and_never_the_password()
    {
        var id = await fixture.RegisterAsync("signer");
        var longAgent = "agent/" + new string('x', 400);

        (await LoginAsync("signer", Password, longAgent)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await LoginAsync("signer", "wrong password one")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LoginAsync("nobody-here", "wrong password two")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var succeeded = (await fixture.EventsAsync(id, "login.succeeded")).ShouldHaveSingleItem();
        succeeded.Ip.ShouldBe(Peer);
        succeeded.UserAgent.ShouldBe(longAgent[..256]);
        succeeded.UserName.ShouldBe("signer");
        succeeded.ActorId.ShouldBeNull();
        var failed = (await fixture.EventsAsync(id, "login.failed")).ShouldHaveSingleItem();
        failed.Detail.ShouldBe("wrong password");
        failed.Ip.ShouldBe(Peer);
        var unknown = (await fixture.EventsAsync(null, "login.failed")).ShouldHaveSingleItem();
        unknown.UserName.ShouldBe("nobody-here");
        unknown.Detail.ShouldBe("unknown username");
        var everything = await App.WithDbAsync(db => db.AuditEvents.Select(e => e.Detail + e.UserName + e.UserAgent).ToListAsync());
        everything.ShouldNotContain(text => text.Contains("wrong password one", StringComparison.Ordinal) || text.Contains(Password, StringComparison.Ordinal));
        App.Logs.ShouldContain(line => line.Contains("Audit login.failed", StringComparison.Ordinal) && line.Contains("nobody-here", StringComparison.Ordinal));
        App.Logs.ShouldNotContain(line => line.Contains("wrong password one", StringComparison.Ordinal) || line.Contains("wrong password two", StringComparison.Ordinal));
        (await App.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.LastLoginAt).SingleAsync())).ShouldNotBeNull();
    }

    [Fact]
    public async Task The_lockout_policy_records_the_lock_and_then_refused_logins()
    {
        var id = await fixture.RegisterAsync("guessed");

        for (var i = 0; i < 3; i++)
        {
            (await LoginAsync("guessed", $"wrong guess {i}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await LoginAsync("guessed", Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await fixture.EventsAsync(id, "login.failed")).Count.ShouldBe(3);
        (await fixture.EventsAsync(id, "account.locked")).ShouldHaveSingleItem().Detail!.ShouldStartWith("by the lockout policy until ");
        (await fixture.EventsAsync(id, "login.locked_out")).ShouldHaveSingleItem();
        (await fixture.EventsAsync(id, "login.succeeded")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Registration_password_change_logout_revocation_and_reuse_are_recorded()
    {
        var id = await fixture.RegisterAsync("lifecycle");
        (await fixture.EventsAsync(id, "user.registered")).ShouldHaveSingleItem().UserName.ShouldBe("lifecycle");

        var session = await App.SignInAsync("lifecycle", Password);
        var client = App.BearerClient(session.AccessToken);
        var wrong = await client.PutAsJsonAsync("/user/password", new { current_password = "not the password", new_password = "another long passphrase" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.EventsAsync(id, "password.changed")).ShouldBeEmpty();
        (await client.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "another long passphrase" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var changed = (await fixture.EventsAsync(id, "password.changed")).ShouldHaveSingleItem();
        changed.ActorId.ShouldBe(id);

        var second = await App.SignInAsync("lifecycle", "another long passphrase");
        (await App.BearerClient(second.AccessToken).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await fixture.EventsAsync(id, "logout")).ShouldHaveSingleItem().Actor.ShouldBe("lifecycle");

        var third = await App.SignInAsync("lifecycle", "another long passphrase");
        (await App.CreateClient().PostAsync("/user/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", third.RefreshToken)]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.EventsAsync(id, "session.revoked")).ShouldHaveSingleItem();

        var fourth = await App.SignInAsync("lifecycle", "another long passphrase");
        (await App.RefreshAsync(fourth.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Out of the reuse interval, so the second use is reuse, not a retry.
        await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.UserId == id && t.UsedAt != null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, DateTime.UtcNow.AddMinutes(-1))));
        (await App.RefreshAsync(fourth.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.EventsAsync(id, "session.reuse_detected")).ShouldHaveSingleItem();
        (await fixture.EventsAsync(id, "session.refreshed")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_change_that_fails_in_the_database_leaves_neither_the_change_nor_its_event()
    {
        var id = await fixture.RegisterAsync("doomed");
        // A fault inside the transaction, after the event was added: the save of the account fails.
        await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW."Email" = 'boom@example.com' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_doomed BEFORE UPDATE ON "Users" FOR EACH ROW EXECUTE FUNCTION refuse_doomed();
            """));
        try
        {
            var admin = await fixture.ClientOfAsync();

            var response = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { email = "boom@example.com" });

            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            (await fixture.EventsAsync(id, "user.updated")).ShouldBeEmpty();
            (await App.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync())).ShouldBe("doomed@example.com");
        }
        finally
        {
            await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_doomed ON \"Users\"; DROP FUNCTION refuse_doomed();"));
        }
    }

    [Fact]
    public async Task The_audit_endpoint_filters_and_pages_newest_first()
    {
        var id = await fixture.RegisterAsync("audited");
        for (var i = 0; i < 5; i++)
        {
            (await LoginAsync("audited", $"bad attempt {i}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            await App.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, 0)));
        }

        var admin = await fixture.ClientOfAsync();
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));

        var first = await (await admin.GetAsync($"/admin/audit?user_id={id}&action=login.failed&since={since}&limit=3")).ReadJsonAsync();
        var events = first.GetProperty("events").EnumerateArray().ToList();
        events.Count.ShouldBe(3);
        events[0].PropertyNames().ShouldBe(["id", "at", "action", "user_id", "username", "actor_id", "actor", "ip", "user_agent", "detail"]);
        events.ShouldAllBe(e => e.Str("action") == "login.failed" && e.GetProperty("user_id").GetInt32() == id && e.Str("ip") == Peer);
        var ids = events.Select(e => e.GetProperty("id").GetInt64()).ToList();
        ids.ShouldBe([.. ids.OrderDescending()]);
        var rest = await (await admin.GetAsync($"/admin/audit?user_id={id}&action=login.failed&limit=3&cursor={first.Str("next_cursor")}")).ReadJsonAsync();
        rest.GetProperty("events").GetArrayLength().ShouldBe(2);
        rest.GetProperty("next_cursor").ValueKind.ShouldBe(JsonValueKind.Null);
        rest.GetProperty("events")[0].GetProperty("id").GetInt64().ShouldBeLessThan(ids[^1]);

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        (await (await admin.GetAsync($"/admin/audit?user_id={id}&since={future}")).ReadJsonAsync()).GetProperty("events").GetArrayLength().ShouldBe(0);
        (await (await admin.GetAsync($"/admin/audit?user_id={id}&until={since}")).ReadJsonAsync()).GetProperty("events").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=2026-13-45", "until")]
    [InlineData("user_id=abc", "user_id")]
    [InlineData("limit=500", "limit")]
    [InlineData("cursor=%25%25", "cursor")]
    public async Task A_bad_audit_query_is_400_naming_the_parameter(string query, string parameter)
    {
        var admin = await fixture.ClientOfAsync();

        var body = await (await admin.GetAsync($"/admin/audit?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        body.GetProperty("errors").PropertyNames().ShouldBe([parameter]);
    }
}
