using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passwords;

/// <summary>Past the bcrypt gate and its queue, logins are shed with 503 + Retry-After instead of piling up.</summary>
public sealed class PasswordCheckGateTests(PasswordCheckGateTests.Fixture fixture) : IClassFixture<PasswordCheckGateTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasswordCheckGateTests>(server)
    {
        // One bcrypt at a time, nobody waiting, and a cost (~60 ms) that keeps the slot busy while the others arrive.
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["PasswordChecks:Concurrency"] = "1";
            settings["PasswordChecks:QueueLength"] = "0";
            settings["BCRYPT_WORK_FACTOR"] = "10";
        }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            // The one password thread may still be making the start-up dummy hash: then this is shed too.
            var registered = await Eventually.ValueAsync(
                () => App.RegisterAsync("busy", "busy@example.com", "correct horse battery"),
                response => response.StatusCode != HttpStatusCode.ServiceUnavailable,
                _ => "the password thread stayed busy");
            registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Logins_beyond_the_gate_and_queue_get_503_with_retry_after()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            fixture.App.PostTokenAsync(("username", "busy"), ("password", "correct horse battery"))));

        responses.ShouldContain(r => r.StatusCode == HttpStatusCode.OK);
        var shed = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        shed.ShouldNotBeEmpty();
        await shed[0].ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        shed[0].Headers.GetValues("Retry-After").Single().ShouldBe("1");
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.ServiceUnavailable);
    }
}
