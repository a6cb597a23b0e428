using System.Net;
using System.Net.Http.Headers;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.ScaleOut.ScaleOutFixture;

namespace UserServices.Tests.ScaleOut;

/// <summary>Three replicas behind nginx act as one service: one signing key, one database, one count per limit in Redis.</summary>
[Collection(ScaleOutGroup.Name)]
public sealed class SharedLimitsTests(ScaleOutFixture fixture)
{
    [Fact]
    public async Task A_token_minted_through_the_proxy_works_on_every_replica()
    {
        var signIn = await fixture.RegisterAndSignInAsync("everywhere");

        for (var replica = 0; replica < fixture.Replicas.Count; replica++)
        {
            using var client = fixture.Direct(replica);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signIn.AccessToken);
            var profile = await client.GetAsync("/user/user");
            profile.StatusCode.ShouldBe(HttpStatusCode.OK, $"replica {replica}");
            (await profile.ReadJsonAsync()).Str("username").ShouldBe("everywhere");
        }
    }

    [Fact]
    public async Task Registrations_of_one_username_racing_across_replicas_give_exactly_one_201()
    {
        var clients = Enumerable.Range(0, 6).Select(i => fixture.Direct(i % fixture.Replicas.Count)).ToList();

        var responses = await Task.WhenAll(clients.Select(client => RegisterAsync(client, "racer")));

        responses.Select(response => response.StatusCode).Order().ShouldBe(
            [HttpStatusCode.Created, .. Enumerable.Repeat(HttpStatusCode.Conflict, 5)]);
        foreach (var conflict in responses.Where(response => response.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        }

        clients.ForEach(client => client.Dispose());
    }

    [Fact]
    public async Task A_burst_of_logins_from_one_address_gets_one_replicas_limit_in_total()
    {
        using var client = fixture.ThroughProxy();

        var statuses = await WrongLoginsAsync(client, 3 * TokenPerClientPerMinute);

        // In memory, each replica would allow its own 10: 30 answers of 401.
        statuses.Count(status => status == HttpStatusCode.Unauthorized).ShouldBe(TokenPerClientPerMinute, fixture.Outputs());
        statuses.Count(status => status == HttpStatusCode.TooManyRequests).ShouldBe(2 * TokenPerClientPerMinute);
        var limited = await client.PostAsync("/user/token", Login("ghost-last", "not the password"));
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
    }

    [Fact]
    public async Task Logins_for_one_username_from_many_addresses_get_the_per_username_limit_in_total()
    {
        var statuses = new List<HttpStatusCode>();
        for (var address = 0; address < 6; address++)
        {
            using var client = fixture.ThroughProxy();
            for (var i = 0; i < 5; i++)
            {
                statuses.Add((await client.PostAsync("/user/token", Login("nobody-in-particular", "not the password"))).StatusCode);
            }
        }

        statuses.Count(status => status == HttpStatusCode.Unauthorized).ShouldBe(TokenPerUserPerMinute);
        statuses.Count(status => status == HttpStatusCode.TooManyRequests).ShouldBe(30 - TokenPerUserPerMinute);
    }

    [Fact]
    public async Task Without_Redis_each_replica_limits_on_its_own_and_with_Redis_back_the_limit_is_shared_again()
    {
        await fixture.Redis.StopAsync();
        try
        {
            using var client = fixture.ThroughProxy();
            var statuses = await WrongLoginsAsync(client, 4 * TokenPerClientPerMinute);

            statuses.ShouldAllBe(status => status == HttpStatusCode.Unauthorized || status == HttpStatusCode.TooManyRequests);
            // Never no limit (40 answers of 401), never everyone refused; each replica counts up to its own 10.
            statuses.Count(status => status == HttpStatusCode.Unauthorized).ShouldBeInRange(TokenPerClientPerMinute + 1, 3 * TokenPerClientPerMinute);
            statuses.ShouldContain(HttpStatusCode.TooManyRequests);
            foreach (var replica in fixture.Replicas)
            {
                // Once per outage, not once per request.
                replica.Output.Count(line => line.Contains("Redis is unreachable", StringComparison.Ordinal)).ShouldBe(1, string.Join('\n', replica.Output));
            }
        }
        finally
        {
            await fixture.Redis.StartAsync();
        }

        await EachReplicaUsesRedisAgainAsync();
        using var after = fixture.ThroughProxy();
        var shared = await WrongLoginsAsync(after, 3 * TokenPerClientPerMinute);
        shared.Count(status => status == HttpStatusCode.Unauthorized).ShouldBe(TokenPerClientPerMinute);
    }

    private async Task EachReplicaUsesRedisAgainAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var replica = 0; replica < fixture.Replicas.Count; replica++)
        {
            var probed = replica;
            await Eventually.ValueAsync(
                async () =>
                {
                    if (fixture.Replicas[probed].Output.Any(line => line.Contains("Redis answers again", StringComparison.Ordinal)))
                    {
                        return true;
                    }

                    using var client = fixture.Direct(probed);
                    (await client.PostAsync("/user/token", Login($"probe-{Guid.NewGuid():N}", "not the password"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
                    return false;
                },
                back => back,
                _ => $"replica {probed} did not go back to Redis\n{fixture.Outputs()}",
                deadline - DateTime.UtcNow,
                every: TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<List<HttpStatusCode>> WrongLoginsAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            // A username each, so that only the per-address limit can stop them.
            statuses.Add((await client.PostAsync("/user/token", Login($"ghost{i}", "not the password"))).StatusCode);
        }

        return statuses;
    }
}
