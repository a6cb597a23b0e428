using System.Net;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.ScaleOut.ScaleOutFixture;

namespace UserServices.Tests.ScaleOut;

/// <summary>Decisions that must be made once for all replicas: the lockout count and a refresh token's successor.</summary>
[Collection(ScaleOutGroup.Name)]
public sealed class ConcurrentRequestsTests(ScaleOutFixture fixture)
{
    [Fact]
    public async Task Concurrent_wrong_guesses_spread_over_the_replicas_lock_the_account_at_exactly_the_configured_count()
    {
        await fixture.RegisterAndSignInAsync("guessed");
        await fixture.RegisterAndSignInAsync("almost");

        // One fewer than the limit: not locked (and the right password then resets the count).
        await WrongGuessesAtOnceAsync("almost", MaxFailedAttempts - 1);
        using (var client = fixture.Direct(0))
        {
            (await client.PostAsync("/user/token", Login("almost", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Exactly the limit, all at once over three processes: every failure counts, so the account is locked.
        await WrongGuessesAtOnceAsync("guessed", MaxFailedAttempts);
        for (var replica = 0; replica < fixture.Replicas.Count; replica++)
        {
            using var client = fixture.Direct(replica);
            (await client.PostAsync("/user/token", Login("guessed", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"replica {replica}");
        }
    }

    [Fact]
    public async Task One_refresh_token_sent_to_three_replicas_at_once_never_forks_or_ends_the_session()
    {
        var refreshToken = (await fixture.RegisterAndSignInAsync("twotabs")).RefreshToken;

        for (var round = 0; round < 5; round++)
        {
            var clients = Enumerable.Range(0, fixture.Replicas.Count).Select(fixture.Direct).ToList();
            var responses = await Task.WhenAll(clients.Select(client => client.PostAsync("/user/token", Refresh(refreshToken))));

            var successors = new HashSet<string>();
            foreach (var response in responses)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    successors.Add((await response.ReadJsonAsync()).Str("refresh_token"));
                }
                else
                {
                    // A duplicate may be refused, but only as a plain invalid_grant that revokes nothing.
                    (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Str("error").ShouldBe("invalid_grant");
                }
            }

            successors.Count.ShouldBe(1, $"round {round}: {string.Join(", ", responses.Select(r => (int)r.StatusCode))}");
            refreshToken = successors.Single();
            clients.ForEach(client => client.Dispose());
        }

        // The session survived every round: its latest refresh token still works.
        using var last = fixture.ThroughProxy();
        (await last.PostAsync("/user/token", Refresh(refreshToken))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task WrongGuessesAtOnceAsync(string username, int count)
    {
        // Each guess from its own address (under the per-address limit), replicas taken in turn.
        var clients = Enumerable.Range(0, count).Select(i => fixture.Direct(i % fixture.Replicas.Count)).ToList();
        var responses = await Task.WhenAll(clients.Select(client => client.PostAsync("/user/token", Login(username, "not the password"))));
        responses.Select(response => response.StatusCode).ShouldAllBe(status => status == HttpStatusCode.Unauthorized);
        clients.ForEach(client => client.Dispose());
    }
}
