using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.ScaleOut.ScaleOutFixture;

namespace UserServices.Tests.ScaleOut;

/// <summary>A session ended through one replica is refused by every other one within a second — in fact at its next request.</summary>
[Collection(ScaleOutGroup.Name)]
public sealed class SessionEndTests(ScaleOutFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    private HttpClient Bearer(int replica, string accessToken)
    {
        var client = fixture.Direct(replica);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Polls replica <paramref name="replica"/> with <paramref name="accessToken"/> until it answers 401; how long that took.</summary>
    private async Task<TimeSpan> RefusedWithinAsync(int replica, string accessToken, Stopwatch since)
    {
        using var client = Bearer(replica, accessToken);
        while (true)
        {
            var response = await client.GetAsync("/user/user");
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                await response.ShouldBeInvalidTokenAsync();
                return since.Elapsed;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            since.Elapsed.ShouldBeLessThan(Within, $"replica {replica} still accepts the ended session's token\n{fixture.Outputs()}");
        }
    }

    [Fact]
    public async Task A_session_ended_on_one_replica_is_refused_by_the_others_within_a_second()
    {
        await fixture.RegisterAndSignInAsync("roamer");
        using var signIn = fixture.Direct(0);
        var ended = await SignInAsync(signIn, "roamer");
        var kept = await SignInAsync(signIn, "roamer");
        await AcceptedEverywhereAsync(ended.AccessToken);

        using var ender = Bearer(0, kept.AccessToken);
        var sid = AccessTokens.ClaimsOf(ended.AccessToken, "sid")["sid"];
        (await ender.DeleteAsync($"/user/sessions/{sid}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var since = Stopwatch.StartNew();

        (await RefusedWithinAsync(1, ended.AccessToken, since)).ShouldBeLessThan(Within);
        (await RefusedWithinAsync(2, ended.AccessToken, since)).ShouldBeLessThan(Within);
        using var survivor = Bearer(2, kept.AccessToken);
        (await survivor.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_logout_through_one_replica_is_refused_by_the_others_within_a_second()
    {
        var session = await fixture.RegisterAndSignInAsync("departer");
        await AcceptedEverywhereAsync(session.AccessToken);

        using (var client = Bearer(2, session.AccessToken))
        {
            (await client.PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var since = Stopwatch.StartNew();
        (await RefusedWithinAsync(0, session.AccessToken, since)).ShouldBeLessThan(Within);
        (await RefusedWithinAsync(1, session.AccessToken, since)).ShouldBeLessThan(Within);
    }

    /// <summary>
    /// Every replica accepts the token before the session ends (and has served the bearer check once, so what is timed
    /// afterwards is the ending reaching it, not a cold process compiling its first query on a busy machine).
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
