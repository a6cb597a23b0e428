using System.Net;
using System.Net.Http.Json;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>Lockout after repeated failures, and the rate limits on the auth endpoints.</summary>
public sealed class BruteForceTests(BruteForceTests.Fixture fixture) : IClassFixture<BruteForceTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<BruteForceTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Lockout:MaxFailedAttempts"] = "5";
            settings["RateLimits:TokenPerClientPerMinute"] = "12";
            settings["RateLimits:TokenPerUserPerMinute"] = "8";
            settings["RateLimits:RegisterPerClientPerMinute"] = "3";
            settings["RateLimits:TrustedProxies:0"] = "10.0.0.1";
        }
    }

    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    private static FormUrlEncodedContent Login(string username, string password) =>
        new([KeyValuePair.Create("username", username), KeyValuePair.Create("password", password)]);

    private async Task RegisterFromAsync(string peer, string username)
    {
        var response = await App.ClientFrom(peer).PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_and_the_lockout_looks_like_a_wrong_password()
    {
        await RegisterFromAsync("192.0.2.1", "locky");
        var client = App.ClientFrom("192.0.2.1");
        var wrong = await client.PostAsync("/user/token", Login("locky", "not the password"));
        var wrongBody = await wrong.ReadJsonAsync();
        for (var i = 0; i < 4; i++)
        {
            (await client.PostAsync("/user/token", Login("locky", "not the password"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // Locked: even the right password is refused, with the very same answer as a wrong one.
        var locked = await App.ClientFrom("192.0.2.2").PostAsync("/user/token", Login("locky", Password));

        locked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        locked.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        var lockedBody = await locked.ReadJsonAsync();
        lockedBody.PropertyNames().ShouldBe(wrongBody.PropertyNames());
        foreach (var key in new[] { "type", "title", "status", "detail", "error", "error_description" })
        {
            lockedBody.GetProperty(key).ToString().ShouldBe(wrongBody.GetProperty(key).ToString());
        }

        App.Logs.ShouldContain(line => line.Contains("locked out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_wrong_guesses_lock_the_account_at_exactly_the_configured_count()
    {
        await RegisterFromAsync("192.0.2.3", "racer-five");
        await RegisterFromAsync("192.0.2.3", "racer-four");

        // All requests read the account before any bcrypt ends, so a read-modify-write counter would lose increments.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => App.ClientFrom($"192.0.2.{10 + i}").PostAsync("/user/token", Login("racer-five", "guess " + i))));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => App.ClientFrom($"192.0.2.{20 + i}").PostAsync("/user/token", Login("racer-four", "guess " + i))));

        var (five, four) = await App.WithDbAsync(db => Task.FromResult((
            db.Users.Single(u => u.UserName == "racer-five"), db.Users.Single(u => u.UserName == "racer-four"))));
        five.LockoutEnd.ShouldNotBeNull();
        five.AccessFailedCount.ShouldBe(0);
        four.LockoutEnd.ShouldBeNull();
        four.AccessFailedCount.ShouldBe(4);
        (await App.ClientFrom("192.0.2.30").PostAsync("/user/token", Login("racer-five", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.ClientFrom("192.0.2.30").PostAsync("/user/token", Login("racer-four", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.UserName == "racer-four").AccessFailedCount))).ShouldBe(0);
    }

    [Fact]
    public async Task Token_endpoint_answers_429_with_retry_after_past_the_per_client_limit()
    {
        var client = App.ClientFrom("198.51.100.7");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 13; i++)
        {
            // Different usernames, so only the per-client limit (12) can be what stops the 13th.
            statuses.Add((await client.PostAsync("/user/token", Login($"ghost{i}", "whatever password"))).StatusCode);
        }

        statuses.Take(12).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        var limited = await client.PostAsync("/user/token", Login("ghost-last", "whatever password"));
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);

        // Another client is unaffected.
        (await App.ClientFrom("198.51.100.8").PostAsync("/user/token", Login("ghost", "whatever password"))).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task One_username_is_limited_across_client_addresses()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 9; i++)
        {
            statuses.Add((await App.ClientFrom($"203.0.113.{i + 1}").PostAsync("/user/token", Login("Target-User", "guess " + i))).StatusCode);
        }

        statuses.Take(8).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses[8].ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Registration_answers_429_past_its_limit()
    {
        var client = App.ClientFrom("192.0.2.50");
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync("/user/register", new { username = $"reg{i}", email = $"reg{i}@example.com", password = Password }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var limited = await client.PostAsJsonAsync("/user/register", new { username = "reg3", email = "reg3@example.com", password = Password });

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.Contains("Retry-After").ShouldBeTrue();
        (await App.WithDbAsync(db => Task.FromResult(db.Users.Any(u => u.UserName == "reg3")))).ShouldBeFalse();
    }

    [Fact]
    public async Task Forwarded_for_is_believed_only_from_a_trusted_proxy()
    {
        // Through the trusted proxy, each forwarded client has its own budget: 13 requests from 13 clients pass.
        for (var i = 0; i < 13; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/user/token") { Content = Login($"fwd{i}", "whatever password") };
            request.Headers.Add("X-Forwarded-For", $"100.64.0.{i + 1}");
            (await App.ClientFrom("10.0.0.1").SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // From an untrusted peer the header is ignored: all 13 count against the peer, so the last is limited.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 13; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/user/token") { Content = Login($"spoof{i}", "whatever password") };
            request.Headers.Add("X-Forwarded-For", $"100.65.0.{i + 1}");
            statuses.Add((await App.ClientFrom("10.0.0.2").SendAsync(request)).StatusCode);
        }

        statuses[12].ShouldBe(HttpStatusCode.TooManyRequests);
    }
}
