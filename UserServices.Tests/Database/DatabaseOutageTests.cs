using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>
/// PostgreSQL stopped under a running service, then started again: 503 with Retry-After instead of 500s, probes that
/// tell the truth, nothing half-written, and recovery without a restart. The cluster is this class's own, so the
/// outage touches no other test.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Unavailable = "The service cannot reach its database; nothing was changed. Retry after the number of seconds in Retry-After.";

    private PostgresCluster? _cluster;
    private UserServicesApp? _app;

    private UserServicesApp App => _app!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync();
        await _cluster.CreateDatabaseAsync("outage");
        _app = UserServicesApp.Start(UserServicesApp.Defaults(_cluster.ConnectionString.Replace("Database=postgres", "Database=outage", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_second_step_of_a_two_factor_sign_in_answers_503_while_the_database_is_down_and_works_after()
    {
        var signIn = await App.RegisterAndSignInAsync("two-factor", Password);
        var bearer = App.BearerClient(signIn.AccessToken);
        var secret = (await TwoFactor.EnrolAsync(bearer, Password, DateTimeOffset.UtcNow)).Secret;
        var mfaToken = (await (await App.PostTokenAsync(("username", "two-factor"), ("password", Password))).ReadJsonAsync()).Str("mfa_token");

        await _cluster!.StopServerAsync();
        // The next step's code: later than the confirming one, and within the window however the clock turns meanwhile.
        var code = TestTotp.CodeAt(secret, DateTimeOffset.UtcNow, 1);
        await ShouldBeUnavailableAsync(await App.PostTokenAsync(("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"), ("mfa_token", mfaToken), ("otp", code)));
        await _cluster.StartServerAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await App.CreateClient().GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        // Nothing of the failed attempt was written: the same token and code still sign in.
        var after = await App.PostTokenAsync(("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"), ("mfa_token", mfaToken), ("otp", code));
        after.StatusCode.ShouldBe(HttpStatusCode.OK, await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_that_need_the_database_answer_503_while_it_is_down_and_work_again_once_it_is_back()
    {
        var signIn = await App.RegisterAndSignInAsync("steady", Password);
        var bearer = App.BearerClient(signIn.AccessToken);

        await _cluster!.StopServerAsync();

        var login = await App.PostTokenAsync(("username", "steady"), ("password", Password));
        await ShouldBeUnavailableAsync(login);
        await ShouldBeUnavailableAsync(await App.RefreshAsync(signIn.RefreshToken));
        await ShouldBeUnavailableAsync(await App.RegisterAsync("newcomer", "newcomer@example.com", Password));
        await ShouldBeUnavailableAsync(await bearer.GetAsync("/user/user"));
        await ShouldBeUnavailableAsync(await bearer.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "another long passphrase" }));

        // The probes answer before authentication: a liveness probe carrying a token does not depend on the database.
        foreach (var client in new[] { App.CreateClient(), bearer })
        {
            var live = await client.GetAsync("/health/live");
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await live.Content.ReadAsStringAsync()).ShouldBe("Healthy");
            var ready = await client.GetAsync("/health/ready");
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await ready.Content.ReadAsStringAsync()).ShouldBe("Unhealthy");
        }

        await _cluster.StartServerAsync();

        await Eventually.TrueAsync(
            async () => (await App.CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            "not ready again after the database came back", TimeSpan.FromSeconds(10));

        (await App.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var profile = await bearer.GetAsync("/user/user");
        profile.StatusCode.ShouldBe(HttpStatusCode.OK, await profile.Content.ReadAsStringAsync());
        (await App.PostTokenAsync(("username", "steady"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.RefreshAsync(signIn.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Nothing of the refused writes: no half-registered account, the old password still the password.
        (await App.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "newcomer"))).ShouldBeFalse();
        (await App.RegisterAsync("newcomer", "newcomer@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        App.Logs.ShouldNotContain(line => line.Contains("An unhandled exception", StringComparison.Ordinal));
    }

    private static async Task ShouldBeUnavailableAsync(HttpResponseMessage response)
    {
        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, type: "https://tools.ietf.org/html/rfc9110#section-15.6.4", detail: Unavailable);
        response.Headers.GetValues("Retry-After").Single().ShouldBe("5");
    }
}
