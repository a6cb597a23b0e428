using System.Diagnostics;
using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>A login for a username that does not exist costs what a wrong password for a real one costs.</summary>
/// <remarks>Runs alone: timings taken while other test classes load both cores say more about them than about us.</remarks>
[Collection(nameof(TimingSensitive))]
public sealed class EnumerationTests(EnumerationTests.Fixture fixture) : IClassFixture<EnumerationTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<EnumerationTests>(server)
    {
        // Cost 10 (~60 ms a hash) makes bcrypt dominate each request, as it does at the production cost of 12
        // (a failed login's extra UPDATE is ~1 ms), while 32 logins stay quick. Lockout off for this account: 30 wrong passwords would lock it otherwise.
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["BCRYPT_WORK_FACTOR"] = "10";
            settings["Lockout:MaxFailedAttempts"] = "100";
        }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("known", "known@example.com", "correct horse battery")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_take_the_same_time()
    {
        var client = fixture.App.CreateClient();
        async Task<double> TimeLoginAsync(string username)
        {
            var form = new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", "not the password")]);
            var watch = Stopwatch.StartNew();
            var response = await client.PostAsync("/user/token", form);
            watch.Stop();
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            return watch.Elapsed.TotalMilliseconds;
        }

        // Warm both paths (the dummy hash is made on first use), then interleave so machine noise hits both alike.
        await TimeLoginAsync("nobody-warmup");
        await TimeLoginAsync("known");
        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            unknown.Add(await TimeLoginAsync($"nobody{i}"));
            wrong.Add(await TimeLoginAsync("known"));
        }

        var ratio = Median(unknown) / Median(wrong);
        ratio.ShouldBeInRange(0.8, 1.25, $"median unknown-user {Median(unknown):F1} ms, wrong-password {Median(wrong):F1} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}

[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
