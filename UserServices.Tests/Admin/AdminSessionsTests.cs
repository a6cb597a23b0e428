using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary><c>GET /admin/users/{id}/sessions</c> and <c>DELETE /admin/users/{id}/sessions/{sid}</c>.</summary>
public sealed class AdminSessionsTests(AdminFixture<AdminSessionsTests> fixture) : IClassFixture<AdminFixture<AdminSessionsTests>>
{
    private const string Password = AdminFixture<AdminSessionsTests>.Password;
    private const string NoSessionDetail = "This account has no live session with this id.";
    private const string NoAccountDetail = "There is no account with this id.";

    private UserServicesApp App => fixture.App;

    private static string SessionIdOf(string accessToken) => AccessTokens.ClaimsOf(accessToken, "sid")["sid"].ToString()!;

    private async Task<SignIn> SignInFromAsync(string username, string peer, string agent)
    {
        using var client = App.ClientFrom(peer);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        var response = await client.PostAsync("/user/token",
            new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", Password)]));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        return new SignIn(body.Str("access_token"), body.Str("refresh_token"));
    }

    [Fact]
    public async Task An_admin_sees_an_accounts_live_sessions_without_current()
    {
        var id = await fixture.RegisterAsync("watched");
        var older = await SignInFromAsync("watched", "198.51.100.1", "Older/1.0");
        var newer = await SignInFromAsync("watched", "198.51.100.2", "Newer/1.0");
        using var admin = await fixture.ClientOfAsync();

        var response = await admin.GetAsync($"/admin/users/{id}/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var sessions = (await response.ReadJsonAsync()).GetProperty("sessions").EnumerateArray().ToArray();
        sessions.Select(s => s.Str("id")).ShouldBe([SessionIdOf(newer.AccessToken), SessionIdOf(older.AccessToken)]);
        sessions[0].PropertyNames().ShouldBe(["id", "created_at", "last_used_at", "expires_at", "client_id", "ip", "user_agent", "amr"]);
        sessions.Select(s => s.Str("ip")).ShouldBe(["198.51.100.2", "198.51.100.1"]);
        sessions.Select(s => s.Str("user_agent")).ShouldBe(["Newer/1.0", "Older/1.0"]);
        // The admin's own sign-in is not the account's.
        (await (await admin.GetAsync($"/admin/users/{id}")).ReadJsonAsync()).GetProperty("active_sessions").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task An_unknown_account_is_404_for_both()
    {
        using var admin = await fixture.ClientOfAsync();

        await (await admin.GetAsync("/admin/users/999999/sessions")).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: NoAccountDetail);
        await (await admin.DeleteAsync($"/admin/users/999999/sessions/{Guid.NewGuid():N}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: NoSessionDetail);
    }

    [Fact]
    public async Task Ending_a_session_of_an_account_ends_that_one_and_is_audited_with_the_admin_as_actor()
    {
        var id = await fixture.RegisterAsync("supervised");
        var ended = await SignInFromAsync("supervised", "198.51.100.3", "Ended/1.0");
        var kept = await SignInFromAsync("supervised", "198.51.100.4", "Kept/1.0");
        using var admin = await fixture.ClientOfAsync();

        var response = await admin.DeleteAsync($"/admin/users/{id}/sessions/{SessionIdOf(ended.AccessToken)}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await App.BearerClient(ended.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        (await App.BearerClient(kept.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var events = await fixture.EventsAsync(id, "session.ended");
        events.Count.ShouldBe(1);
        (events[0].Actor, events[0].Ip, events[0].UserName).ShouldBe((AdminFixture<AdminSessionsTests>.RootName, AdminFixture<AdminSessionsTests>.AdminPeer, "supervised"));
        events[0].Detail.ShouldBe($"session {SessionIdOf(ended.AccessToken)}, ended_by_admin");
        // A second time it is no longer live.
        await (await admin.DeleteAsync($"/admin/users/{id}/sessions/{SessionIdOf(ended.AccessToken)}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: NoSessionDetail);
    }

    [Fact]
    public async Task Another_accounts_session_is_404_and_stays_live()
    {
        var id = await fixture.RegisterAsync("named");
        var otherId = await fixture.RegisterAsync("unnamed");
        var others = await SignInFromAsync("unnamed", "198.51.100.5", "Other/1.0");
        using var admin = await fixture.ClientOfAsync();

        foreach (var sid in new[] { SessionIdOf(others.AccessToken), "not-a-session-id" })
        {
            await (await admin.DeleteAsync($"/admin/users/{id}/sessions/{sid}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: NoSessionDetail);
        }

        (await App.BearerClient(others.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.EventsAsync(otherId, "session.ended")).ShouldBeEmpty();
        (await fixture.EventsAsync(id, "session.ended")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_gets_403()
    {
        var id = await fixture.RegisterAsync("curious");
        var token = await App.TokenAsync("curious", Password);

        await (await App.BearerClient(token).GetAsync($"/admin/users/{id}/sessions")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await App.BearerClient(token).DeleteAsync($"/admin/users/{id}/sessions/{SessionIdOf(token)}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}
