using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Sessions;

/// <summary><c>GET /user/sessions</c>, <c>DELETE /user/sessions/{id}</c> and <c>DELETE /user/sessions</c>: what a person sees of their sign-ins and how they end one.</summary>
public sealed class SessionsTests(SessionsTests.Fixture fixture) : IClassFixture<SessionsTests.Fixture>
{
    public const string Proxy = "10.0.0.1";
    private const string Password = "correct horse battery";
    private const string NotFoundDetail = "You have no live session with this id.";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<SessionsTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["RateLimits:TrustedProxies:0"] = Proxy;
    }

    private UserServicesApp App => fixture.App;

    /// <summary>Signs in as <paramref name="username"/> from <paramref name="peer"/> with <paramref name="agent"/>.</summary>
    private async Task<SignIn> SignInFromAsync(string username, string peer, string agent, string? forwardedFor = null)
    {
        using var client = App.ClientFrom(peer);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        var response = await client.PostAsync("/user/token",
            new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", Password)]));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        return new SignIn(body.Str("access_token"), body.Str("refresh_token"));
    }

    private async Task RegisterAsync(string username) =>
        (await App.RegisterAsync(username, $"{username}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

    private async Task<JsonElement[]> SessionsOfAsync(string accessToken)
    {
        var response = await App.BearerClient(accessToken).GetAsync("/user/sessions");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return [.. (await response.ReadJsonAsync()).GetProperty("sessions").EnumerateArray()];
    }

    private static string SessionIdOf(string accessToken) => AccessTokens.ClaimsOf(accessToken, "sid")["sid"].ToString()!;

    [Fact]
    public async Task Sessions_lists_each_live_sign_in_newest_use_first_with_exactly_the_documented_fields()
    {
        await RegisterAsync("traveller");
        var before = DateTime.UtcNow.AddSeconds(-1);
        var laptop = await SignInFromAsync("traveller", "198.51.100.10", "Laptop/1.0");
        var phone = await SignInFromAsync("traveller", "198.51.100.20", "Phone/2.0");

        var response = await App.BearerClient(laptop.AccessToken).GetAsync("/user/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        (response.Content.Headers.ContentType?.MediaType).ShouldBe("application/json");
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["sessions"]);
        var sessions = body.GetProperty("sessions").EnumerateArray().ToArray();
        sessions.Length.ShouldBe(2);
        sessions.Select(s => s.Str("id")).ShouldBe([SessionIdOf(phone.AccessToken), SessionIdOf(laptop.AccessToken)]);
        sessions[0].PropertyNames().ShouldBe(["id", "created_at", "last_used_at", "expires_at", "client_id", "ip", "user_agent", "amr", "current"]);
        sessions.Select(s => s.GetProperty("amr").GetRawText()).ShouldBe(["""["pwd"]""", """["pwd"]"""]);
        sessions.Select(s => s.GetProperty("current").GetBoolean()).ShouldBe([false, true]);
        sessions.Select(s => s.Str("ip")).ShouldBe(["198.51.100.20", "198.51.100.10"]);
        sessions.Select(s => s.Str("user_agent")).ShouldBe(["Phone/2.0", "Laptop/1.0"]);
        sessions.Select(s => s.Str("client_id")).ShouldBe(["default", "default"]);
        foreach (var session in sessions)
        {
            // ISO 8601 in UTC, and an idle expiry (7 days) before the absolute one (14 days).
            var created = Utc(session, "created_at");
            created.ShouldBeInRange(before, DateTime.UtcNow.AddSeconds(1));
            Utc(session, "last_used_at").ShouldBe(created);
            Utc(session, "expires_at").ShouldBe(created.AddDays(7), TimeSpan.FromSeconds(1));
        }
    }

    private static DateTime Utc(JsonElement session, string name)
    {
        var text = session.Str(name);
        text.ShouldEndWith("Z");
        return DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
    }

    [Fact]
    public async Task A_refresh_is_a_use_the_list_shows_its_time_address_and_user_agent()
    {
        await RegisterAsync("refresher");
        var signIn = await SignInFromAsync("refresher", "198.51.100.30", "Old/1.0");
        var first = (await SessionsOfAsync(signIn.AccessToken)).Single();

        using var client = App.ClientFrom("198.51.100.31");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("New/2.0");
        var refreshed = await client.PostAsync("/user/token", new FormUrlEncodedContent(
            [KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", signIn.RefreshToken)]));
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var session = (await SessionsOfAsync((await refreshed.ReadJsonAsync()).Str("access_token"))).Single();

        session.Str("id").ShouldBe(first.Str("id"));
        session.Str("created_at").ShouldBe(first.Str("created_at"));
        Utc(session, "last_used_at").ShouldBeGreaterThan(Utc(first, "last_used_at"));
        session.Str("ip").ShouldBe("198.51.100.31");
        session.Str("user_agent").ShouldBe("New/2.0");
        session.GetProperty("current").GetBoolean().ShouldBeTrue();
        // The database keeps where it started too.
        var row = await App.WithDbAsync(db => db.Sessions.SingleAsync(s => s.User!.UserName == "refresher"));
        (row.CreatedIp, row.CreatedUserAgent, row.LastIp, row.LastUserAgent).ShouldBe(("198.51.100.30", "Old/1.0", "198.51.100.31", "New/2.0"));
    }

    [Fact]
    public async Task The_ip_is_the_forwarded_client_only_behind_a_trusted_proxy_and_the_user_agent_is_cut_at_256()
    {
        await RegisterAsync("proxied");
        var longAgent = "Agent/" + new string('x', 300);
        var viaProxy = await SignInFromAsync("proxied", Proxy, longAgent, forwardedFor: "203.0.113.50");
        await SignInFromAsync("proxied", "198.51.100.40", "Spoofer/1.0", forwardedFor: "203.0.113.51");

        var sessions = await SessionsOfAsync(viaProxy.AccessToken);

        sessions.Select(s => s.Str("ip")).ShouldBe(["198.51.100.40", "203.0.113.50"]);
        sessions[1].Str("user_agent").ShouldBe(longAgent[..256]);
    }

    [Fact]
    public async Task Ended_and_expired_sessions_are_not_listed()
    {
        await RegisterAsync("pruned");
        var kept = await SignInFromAsync("pruned", "198.51.100.60", "Kept/1.0");
        var loggedOut = await SignInFromAsync("pruned", "198.51.100.61", "Gone/1.0");
        var idle = await SignInFromAsync("pruned", "198.51.100.62", "Idle/1.0");
        (await App.BearerClient(loggedOut.AccessToken).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var idleId = Guid.ParseExact(SessionIdOf(idle.AccessToken), "N");
        await App.WithDbAsync(db => db.Sessions.Where(s => s.Id == idleId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        (await SessionsOfAsync(kept.AccessToken)).Select(s => s.Str("id")).ShouldBe([SessionIdOf(kept.AccessToken)]);
        // An expired session's access token is refused like an ended one's.
        await (await App.BearerClient(idle.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Ending_a_session_answers_204_and_its_tokens_stop_on_every_bearer_endpoint_at_once()
    {
        await RegisterAsync("ender");
        var mine = await SignInFromAsync("ender", "198.51.100.70", "Mine/1.0");
        var lost = await SignInFromAsync("ender", "198.51.100.71", "Lost/1.0");
        (await App.BearerClient(lost.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var client = App.ClientFrom("198.51.100.70");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", mine.AccessToken);
        var response = await client.DeleteAsync($"/user/sessions/{SessionIdOf(lost.AccessToken)}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        await BearerEndpoints.ShouldAllRefuseAsync(App, lost.AccessToken);
        (await App.RefreshAsync(lost.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.BearerClient(mine.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SessionsOfAsync(mine.AccessToken)).Length.ShouldBe(1);
        var ended = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "session.ended" && e.UserName == "ender").ToListAsync());
        ended.Count.ShouldBe(1);
        ended[0].Actor.ShouldBe("ender");
        ended[0].Detail.ShouldBe($"session {SessionIdOf(lost.AccessToken)}, ended_by_user");
        ended[0].Ip.ShouldBe("198.51.100.70");
    }

    [Fact]
    public async Task Another_accounts_session_an_unknown_id_an_ended_one_and_a_malformed_one_are_all_the_same_404()
    {
        await RegisterAsync("owner");
        await RegisterAsync("stranger");
        var owner = await SignInFromAsync("owner", "198.51.100.80", "Owner/1.0");
        var stranger = await SignInFromAsync("stranger", "198.51.100.81", "Stranger/1.0");
        var ended = await SignInFromAsync("owner", "198.51.100.82", "Ended/1.0");
        (await App.BearerClient(ended.AccessToken).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var id in new[] { SessionIdOf(stranger.AccessToken), Guid.NewGuid().ToString("N"), SessionIdOf(ended.AccessToken), "not-a-session" })
        {
            var response = await App.BearerClient(owner.AccessToken).DeleteAsync($"/user/sessions/{id}");
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, title: "Not Found", detail: NotFoundDetail);
        }

        // Nothing was ended.
        (await App.BearerClient(stranger.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "session.ended" && e.UserName == "owner"))).ShouldBe(0);
    }

    [Fact]
    public async Task Ending_all_other_sessions_keeps_the_current_one()
    {
        await RegisterAsync("everywhere");
        var here = await SignInFromAsync("everywhere", "198.51.100.90", "Here/1.0");
        var there = await SignInFromAsync("everywhere", "198.51.100.91", "There/1.0");
        var elsewhere = await SignInFromAsync("everywhere", "198.51.100.92", "Elsewhere/1.0");
        await RegisterAsync("bystander");
        var bystander = await SignInFromAsync("bystander", "198.51.100.93", "Bystander/1.0");

        var response = await App.BearerClient(here.AccessToken).DeleteAsync("/user/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await App.BearerClient(there.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        await (await App.BearerClient(elsewhere.AccessToken).GetAsync("/user/sessions")).ShouldBeInvalidTokenAsync();
        (await App.RefreshAsync(there.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await SessionsOfAsync(here.AccessToken)).Select(s => s.Str("id")).ShouldBe([SessionIdOf(here.AccessToken)]);
        (await App.RefreshAsync(here.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.BearerClient(bystander.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var detail = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "session.ended" && e.UserName == "everywhere").Select(e => e.Detail).SingleAsync());
        detail.ShouldBe($"2 session(s), ended_by_user, all but {SessionIdOf(here.AccessToken)}");
    }

    [Fact]
    public async Task Ending_the_current_session_is_a_logout()
    {
        await RegisterAsync("selfender");
        var signIn = await SignInFromAsync("selfender", "198.51.100.95", "Self/1.0");

        (await App.BearerClient(signIn.AccessToken).DeleteAsync($"/user/sessions/{SessionIdOf(signIn.AccessToken)}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.BearerClient(signIn.AccessToken).GetAsync("/user/sessions")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task The_session_endpoints_need_a_bearer_token()
    {
        using var anonymous = App.CreateClient();
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/user/sessions"),
            new HttpRequestMessage(HttpMethod.Delete, "/user/sessions"),
            new HttpRequestMessage(HttpMethod.Delete, $"/user/sessions/{Guid.NewGuid():N}"),
        })
        {
            await (await anonymous.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, error: "invalid_token");
        }
    }

    [Fact]
    public async Task A_deleted_accounts_sessions_are_gone()
    {
        await RegisterAsync("closer");
        var signIn = await SignInFromAsync("closer", "198.51.100.97", "Closer/1.0");
        await SignInFromAsync("closer", "198.51.100.98", "Other/1.0");
        var userId = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "closer").Select(u => u.Id).SingleAsync());

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/user/user") { Content = JsonContent(new { password = Password }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signIn.AccessToken);
        (await App.CreateClient().SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await App.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == userId))).ShouldBe(0);
        (await App.WithDbAsync(db => db.RefreshTokens.CountAsync(t => t.UserId == userId))).ShouldBe(0);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
