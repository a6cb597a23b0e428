using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Monitoring;
using UserServices.Tests.Infrastructure;
using UserServices.Tests.Tokens;

namespace UserServices.Tests.Monitoring;

/// <summary>
/// Each outcome is counted where it is decided, once: read from the service's own <c>UserServices</c> meter with a
/// <see cref="MeterListener"/> (no exporter in between), low limits so every refusal can be provoked.
/// </summary>
public sealed class ServiceMetricsTests(ServiceMetricsTests.Fixture fixture) : IClassFixture<ServiceMetricsTests.Fixture>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Wrong_passwords_are_invalid_credentials_and_a_login_while_locked_is_locked_out()
    {
        var app = fixture.App;
        (await app.RegisterAsync("locky", "locky@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var counts = new OutcomeCounts(app);

        for (var i = 0; i < 2; i++)
        {
            (await Login(app, "10.0.1.1", "locky", "wrong horse battery")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await Login(app, "10.0.1.1", "locky", Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        counts.Of("userservices.logins").ShouldBe("invalid_credentials=2 locked_out=1");
    }

    [Fact]
    public async Task A_two_factor_sign_in_counts_mfa_required_mfa_failed_and_then_succeeded()
    {
        var app = fixture.App;
        (await app.RegisterAsync("twofa", "twofa@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = (await (await Login(app, "10.0.7.1", "twofa", Password)).ReadJsonAsync()).Str("access_token");
        using var bearer = app.BearerClient(token);
        var secret = (await TwoFactor.EnrolAsync(bearer, Password, DateTimeOffset.UtcNow)).Secret;
        using var counts = new OutcomeCounts(app);

        var mfaToken = (await (await Login(app, "10.0.7.2", "twofa", Password)).ReadJsonAsync()).Str("mfa_token");
        using var client = app.ClientFrom("10.0.7.3");
        var grant = "http://auth0.com/oauth/grant-type/mfa-otp";
        (await client.PostAsync("/user/token", OAuthRequests.Form(("grant_type", grant), ("mfa_token", mfaToken), ("otp", "000000")))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsync("/user/token", OAuthRequests.Form(("grant_type", grant), ("mfa_token", mfaToken), ("otp", TestTotp.CodeAt(secret, DateTimeOffset.UtcNow, 1)))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        counts.Of("userservices.logins").ShouldBe("mfa_failed=1 mfa_required=1 succeeded=1");
    }

    [Fact]
    public async Task Logins_refused_by_the_address_limit_and_the_username_limit_are_rate_limited()
    {
        var app = fixture.App;
        using var counts = new OutcomeCounts(app);

        // Five per address: the sixth from 10.0.2.1 is refused before the form is read.
        for (var i = 0; i < 6; i++)
        {
            await Login(app, "10.0.2.1", $"nobody{i}", "wrong horse battery");
        }

        // Three per username, whatever the address: the fourth is refused in the token endpoint.
        for (var i = 0; i < 4; i++)
        {
            await Login(app, $"10.0.3.{i + 1}", "throttled", "wrong horse battery");
        }

        // Revocation shares the address limit but is no login.
        using var revoker = app.ClientFrom("10.0.4.1");
        for (var i = 0; i < 6; i++)
        {
            await revoker.PostAsync("/user/revoke", OAuthRequests.Form(("token", "unknown")));
        }

        counts.Of("userservices.logins").ShouldBe("invalid_credentials=8 rate_limited=2");
    }

    [Fact]
    public async Task Registrations_are_counted_as_created_taken_invalid_and_rate_limited()
    {
        var app = fixture.App;
        using var counts = new OutcomeCounts(app);
        using var client = app.ClientFrom("10.0.5.1");

        (await client.PostAsJsonAsync("/user/register", new { username = "dora", email = "dora@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsJsonAsync("/user/register", new { username = "dora", email = "dora2@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await client.PostAsJsonAsync("/user/register", new { username = "", email = "x@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync("/user/register", new { username = "eve", email = "eve@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        counts.Of("userservices.registrations").ShouldBe("created=1 invalid=1 rate_limited=1 taken=1");
    }

    [Fact]
    public async Task Refreshes_are_counted_as_rotated_retried_unknown_and_revoked()
    {
        var app = fixture.App;
        (await app.RegisterAsync("frank", "frank@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var login = await Login(app, "10.0.6.1", "frank", Password);
        var refreshToken = (await login.ReadJsonAsync()).Str("refresh_token");
        using var counts = new OutcomeCounts(app);
        using var client = app.ClientFrom("10.0.6.2");

        var rotated = await client.PostAsync("/user/token", OAuthRequests.Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var next = (await rotated.ReadJsonAsync()).Str("refresh_token");
        (await client.PostAsync("/user/token", OAuthRequests.Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync("/user/token", OAuthRequests.Form(("grant_type", "refresh_token"), ("refresh_token", "no-such-token")))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsync("/user/revoke", OAuthRequests.Form(("token", next)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync("/user/token", OAuthRequests.Form(("grant_type", "refresh_token"), ("refresh_token", next)))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        counts.Of("userservices.refreshes").ShouldBe("retried=1 revoked=1 rotated=1 unknown=1");
        counts.Of("userservices.logins").ShouldBe("");
    }

    [Fact]
    public async Task Ended_sessions_are_counted_by_cause()
    {
        var app = fixture.App;
        // Three sign-ins each: the per-username limit here is 3 a minute.
        var grace = await SignInsAsync(app, "grace", "10.0.7.1");
        var heidi = await SignInsAsync(app, "heidi", "10.0.7.2");
        using var counts = new OutcomeCounts(app);
        using var client = app.ClientFrom("10.0.7.9");

        (await app.BearerClient(grace[0].Str("access_token")).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.PostAsync("/user/revoke", OAuthRequests.Form(("token", grace[1].Str("refresh_token"))))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var sid = AccessTokens.ClaimsOf(heidi[0].Str("access_token"), "sid")["sid"];
        (await app.BearerClient(heidi[2].Str("access_token")).DeleteAsync($"/user/sessions/{sid}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.BearerClient(heidi[2].Str("access_token")).DeleteAsync("/user/sessions")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        counts.Of("userservices.sessions.ended").ShouldBe("ended_by_user=2 logout=1 revoked=1");
    }

    private static async Task<List<System.Text.Json.JsonElement>> SignInsAsync(UserServicesApp app, string username, string peer)
    {
        // From an address of its own: the registration limit here is 3 a minute per client, which other tests use up.
        using (var registering = app.ClientFrom(peer))
        {
            (await registering.PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var bodies = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            var response = await Login(app, peer, username, Password);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            bodies.Add(await response.ReadJsonAsync());
        }

        return bodies;
    }

    private static async Task<HttpResponseMessage> Login(UserServicesApp app, string peer, string username, string password)
    {
        using var client = app.ClientFrom(peer);
        return await client.PostAsync("/user/token", OAuthRequests.Form(("username", username), ("password", password)));
    }


    [Fact]
    public async Task Client_credentials_are_counted_by_client_and_outcome()
    {
        var settings = UserServicesApp.Defaults(await fixture.Server.CreateDatabaseAsync("MeteredClients"));
        settings["RateLimits:ClientCredentialsPerClientPerMinute"] = "2";
        foreach (var (index, client) in new[] { (0, "backend"), (1, "worker") })
        {
            settings[$"Clients:{index}:ClientId"] = client;
            settings[$"Clients:{index}:ClientSecret"] = ClientSecret;
            settings[$"Clients:{index}:AllowedGrants:0"] = "client_credentials";
        }

        await using var app = UserServicesApp.Start(settings);
        using var counts = new OutcomeCounts(app);
        Task<HttpResponseMessage> AskAsync(string client, params (string Key, string Value)[] more) => app.CreateClient().PostAsync("/user/token",
            OAuthRequests.Form([("grant_type", "client_credentials"), ("client_id", client), ("client_secret", ClientSecret), .. more]));

        (await AskAsync("backend")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AskAsync("backend", ("resource", "https://elsewhere.example.com"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AskAsync("backend")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AskAsync("backend")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await AskAsync("worker")).StatusCode.ShouldBe(HttpStatusCode.OK);

        counts.Of("userservices.client_credentials").ShouldBe("backend:invalid_target=1 backend:issued=2 backend:rate_limited=1 worker:issued=1");
    }

    private const string ClientSecret = "metered-client-secret-0123456789abcdef";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<ServiceMetricsTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["RateLimits:TokenPerClientPerMinute"] = "5";
            settings["RateLimits:TokenPerUserPerMinute"] = "3";
            settings["RateLimits:RegisterPerClientPerMinute"] = "3";
            settings["Lockout:MaxFailedAttempts"] = "2";
        }
    }

    /// <summary>
    /// The counters of this app's <c>UserServices</c> meter from now on, by instrument and outcome. Other hosts of the
    /// same test run have meters of the same name; the meter's scope (the app's IMeterFactory) tells them apart.
    /// </summary>
    private sealed class OutcomeCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string Instrument, string Outcome), long> _counts = new();

        public OutcomeCounts(UserServicesApp app)
        {
            var factory = app.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ServiceMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? outcome = null, client = null;
                foreach (var tag in tags)
                {
                    outcome = tag.Key is "outcome" or "cause" ? (string)tag.Value! : outcome;
                    client = tag.Key == "client_id" ? (string)tag.Value! : client;
                }

                if (outcome is not null)
                {
                    // Counted by client too where the instrument says which ("backend:issued").
                    _counts.AddOrUpdate((instrument.Name, client is null ? outcome : $"{client}:{outcome}"), value, (_, sum) => sum + value);
                }
            });
            _listener.Start();
        }

        /// <summary>Outcome=count pairs in alphabetical order, e.g. <c>invalid_credentials=2 locked_out=1</c>.</summary>
        public string Of(string instrument) => string.Join(' ', _counts
            .Where(count => count.Key.Instrument == instrument)
            .OrderBy(count => count.Key.Outcome, StringComparer.Ordinal)
            .Select(count => $"{count.Key.Outcome}={count.Value}"));

        public void Dispose() => _listener.Dispose();
    }
}
