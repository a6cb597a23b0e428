using System.Net;
using System.Net.Http.Headers;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.ScaleOut.ScaleOutFixture;

namespace UserServices.Tests.ScaleOut;

/// <summary>
/// A session ended through one replica is refused by every other one at its very next request: each replica reads the
/// session with the account on every bearer request (OWASP ASVS 5.0 7.4.1), so there is no window to wait out and
/// nothing here is timed.
/// </summary>
[Collection(ScaleOutGroup.Name)]
public sealed class SessionEndTests(ScaleOutFixture fixture)
{
    private HttpClient Bearer(int replica, string accessToken)
    {
        var client = fixture.Direct(replica);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>The first request replica <paramref name="replica"/> gets with <paramref name="accessToken"/> is a 401 invalid_token.</summary>
    private async Task RefusedAtOnceAsync(int replica, string accessToken)
    {
        using var client = Bearer(replica, accessToken);
        var response = await client.GetAsync("/user/user");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"replica {replica} still accepts the ended session's token\n{fixture.Outputs()}");
        await response.ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task A_session_ended_on_one_replica_is_refused_by_the_others_at_their_next_request()
    {
        await fixture.RegisterAndSignInAsync("roamer");
        using var signIn = fixture.Direct(0);
        var ended = await SignInAsync(signIn, "roamer");
        var kept = await SignInAsync(signIn, "roamer");
        await AcceptedEverywhereAsync(ended.AccessToken);

        using var ender = Bearer(0, kept.AccessToken);
        var sid = AccessTokens.ClaimsOf(ended.AccessToken, "sid")["sid"];
        (await ender.DeleteAsync($"/user/sessions/{sid}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await RefusedAtOnceAsync(1, ended.AccessToken);
        await RefusedAtOnceAsync(2, ended.AccessToken);
        using var survivor = Bearer(2, kept.AccessToken);
        (await survivor.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_logout_through_one_replica_is_refused_by_the_others_at_their_next_request()
    {
        var session = await fixture.RegisterAndSignInAsync("departer");
        await AcceptedEverywhereAsync(session.AccessToken);

        using (var client = Bearer(2, session.AccessToken))
        {
            (await client.PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await RefusedAtOnceAsync(0, session.AccessToken);
        await RefusedAtOnceAsync(1, session.AccessToken);
    }

    /// <summary>
    /// Every replica accepts the token before the session ends (and has served the bearer check once, so a refusal
    /// afterwards can only be the ending reaching it).
    /// </summary>
    private async Task AcceptedEverywhereAsync(string accessToken)
    {
        for (var replica = 0; replica < fixture.Replicas.Count; replica++)
        {
            using var client = Bearer(replica, accessToken);
            (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static async Task<SignIn> SignInAsync(HttpClient client, string username)
    {
        var response = await client.PostAsync("/user/token", Login(username, Password));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        return new SignIn(body.Str("access_token"), body.Str("refresh_token"));
    }
}
