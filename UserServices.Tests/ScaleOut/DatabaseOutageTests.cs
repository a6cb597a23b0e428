using System.Net;
using System.Net.Http.Headers;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.ScaleOut.ScaleOutFixture;

namespace UserServices.Tests.ScaleOut;

/// <summary>PostgreSQL stopped under running replicas: 503 with Retry-After, never 500; back to normal when it returns.</summary>
[Collection(ScaleOutGroup.Name)]
public sealed class DatabaseOutageTests(DatabaseOutageTests.Fixture fixture) : IClassFixture<DatabaseOutageTests.Fixture>
{
    /// <summary>
    /// Replicas of their own: after the outage their connection pools hold connections the restart cut, which is
    /// this test's business and no other's.
    /// </summary>
    public sealed class Fixture : ScaleOutFixture;

    [Fact]
    public async Task With_PostgreSQL_stopped_requests_that_need_it_answer_503_and_all_answer_again_within_10_s_of_its_return()
    {
        var signIn = await fixture.RegisterAndSignInAsync("outage");

        await fixture.Postgres.StopServerAsync();
        try
        {
            using var client = fixture.ThroughProxy();
            await ShouldBeUnavailableAsync(await client.PostAsync("/user/token", Login("outage", Password)));
            await ShouldBeUnavailableAsync(await RegisterAsync(client, "during-outage"));
            await ShouldBeUnavailableAsync(await client.SendAsync(Bearer(HttpMethod.Get, "/user/user", signIn.AccessToken)));

            // A liveness probe must not have every replica restarted because the database is away, bearer or not.
            (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.SendAsync(Bearer(HttpMethod.Get, "/health/live", signIn.AccessToken))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await fixture.Postgres.StartServerAsync();
        }

        var attempt = 0;
        await Eventually.ValueAsync(
            async () =>
            {
                using var client = fixture.ThroughProxy();
                return new[]
                {
                    (await client.GetAsync("/health/ready")).StatusCode,
                    (await client.PostAsync("/user/token", Login("outage", Password))).StatusCode,
                    (await client.SendAsync(Bearer(HttpMethod.Get, "/user/user", signIn.AccessToken))).StatusCode,
                    (await RegisterAsync(client, $"after-outage-{attempt++}")).StatusCode,
                };
            },
            statuses => statuses.SequenceEqual([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Created]),
            statuses => $"still {string.Join(", ", statuses.Select(s => (int)s))} 10 s after PostgreSQL returned",
            TimeSpan.FromSeconds(10),
            every: TimeSpan.FromMilliseconds(250));

        // The registration refused during the outage left nothing behind: the name is free.
        using var after = fixture.ThroughProxy();
        (await RegisterAsync(after, "during-outage")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private static HttpRequestMessage Bearer(HttpMethod method, string path, string accessToken) =>
        new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", accessToken) } };

    private static async Task ShouldBeUnavailableAsync(HttpResponseMessage response)
    {
        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
    }
}
