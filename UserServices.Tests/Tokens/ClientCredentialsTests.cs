using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>
/// RFC 6749 §4.4 with a client secret: who gets a token for itself, what the token says (RFC 9068), where it is
/// refused (our account endpoints) and what introspection makes of it.
/// </summary>
public sealed class ClientCredentialsTests(ClientCredentialsTests.Fixture fixture) : IClassFixture<ClientCredentialsTests.Fixture>
{
    public const string Secret = "machine-secret-0123456789abcdef-0123456789";
    private const string Orders = "https://orders.example.com";
    private const string Billing = "https://billing.example.com";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<ClientCredentialsTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) => Register(settings);

        /// <summary>The clients of this class; <paramref name="backendEnabled"/> false is the operator disabling it.</summary>
        public static void Register(Dictionary<string, string?> settings, bool backendEnabled = true)
        {
            settings["Clients:0:ClientId"] = "backend";
            settings["Clients:0:ClientSecret"] = Secret;
            settings["Clients:0:Enabled"] = backendEnabled ? "true" : "false";
            settings["Clients:0:AllowedGrants:0"] = "client_credentials";
            settings["Clients:0:AllowedScopes:0"] = "orders:read";
            settings["Clients:0:AllowedScopes:1"] = "orders:write";
            settings["Clients:0:Audiences:0"] = Orders;
            settings["Clients:0:Audiences:1"] = Billing;
            settings["Clients:0:AccessTokenMinutes"] = "5";
            settings["Clients:1:ClientId"] = "plain";
            settings["Clients:1:ClientSecret"] = Secret;
            settings["Clients:2:ClientId"] = "defaults";
            settings["Clients:2:ClientSecret"] = Secret;
            settings["Clients:2:AllowedGrants:0"] = "client_credentials";
            settings["Clients:3:ClientId"] = "switched-off";
            settings["Clients:3:ClientSecret"] = Secret;
            settings["Clients:3:Enabled"] = "false";
            settings["Clients:3:AllowedGrants:0"] = "client_credentials";
        }
    }

    private UserServicesApp App => fixture.App;

    private Task<HttpResponseMessage> MachineTokenAsync(string clientId, params (string Key, string Value)[] fields) =>
        PostAsync(App.CreateClient(), "/user/token", Basic(clientId, Secret), [("grant_type", "client_credentials"), .. fields]);

    private async Task<string> AccessTokenAsync(string clientId, params (string Key, string Value)[] fields)
    {
        var response = await MachineTokenAsync(clientId, fields);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).Str("access_token");
    }

    [Fact]
    public async Task A_listed_confidential_client_gets_a_token_for_itself_and_no_refresh_token()
    {
        var response = await MachineTokenAsync("backend");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "scope"]);
        body.Str("token_type").ShouldBe("bearer");
        body.GetProperty("expires_in").GetInt32().ShouldBe(300);
        body.Str("scope").ShouldBe("orders:read orders:write");
    }

    [Fact]
    public async Task The_token_names_the_client_as_subject_its_audiences_and_no_user_or_session()
    {
        var token = await AccessTokenAsync("backend");

        JwtParts.Header(token).Str("typ").ShouldBe("at+jwt");
        var payload = JwtParts.Payload(token);
        payload.PropertyNames().Order().ShouldBe(["aud", "client_id", "exp", "iat", "iss", "jti", "nbf", "scope", "sub"]);
        payload.Str("sub").ShouldBe("backend");
        payload.Str("client_id").ShouldBe("backend");
        payload.Str("iss").ShouldBe("user-services");
        payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).ShouldBe([Orders, Billing]);
        payload.Str("scope").ShouldBe("orders:read orders:write");
        (payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64()).ShouldBe(300);
        payload.Str("jti").Length.ShouldBe(32);
    }

    [Fact]
    public async Task Requested_scopes_are_narrowed_to_the_allowed_ones()
    {
        var response = await MachineTokenAsync("backend", ("scope", "orders:read admin"));

        (await response.ReadJsonAsync()).Str("scope").ShouldBe("orders:read");
    }

    [Fact]
    public async Task A_resource_narrows_the_audience_to_that_one()
    {
        var token = await AccessTokenAsync("backend", ("resource", Billing));

        JwtParts.Payload(token).Str("aud").ShouldBe(Billing);
    }

    [Fact]
    public async Task A_resource_the_client_may_not_call_is_400_invalid_target() =>
        await (await MachineTokenAsync("backend", ("resource", "https://elsewhere.example.com"))).ShouldBeProblemAsync(
            HttpStatusCode.BadRequest, error: "invalid_target",
            detail: "The resource 'https://elsewhere.example.com' is not one this client may get tokens for.");

    [Fact]
    public async Task Without_audiences_or_lifetime_the_service_defaults_apply()
    {
        var response = await MachineTokenAsync("defaults");

        var body = await response.ReadJsonAsync();
        body.GetProperty("expires_in").GetInt32().ShouldBe(1800);
        body.TryGetProperty("scope", out _).ShouldBeFalse();
        var payload = JwtParts.Payload(body.Str("access_token"));
        payload.Str("aud").ShouldBe("user-services");
        payload.TryGetProperty("scope", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_client_that_does_not_list_the_grant_is_400_unauthorized_client() =>
        await (await MachineTokenAsync("plain")).ShouldBeProblemAsync(
            HttpStatusCode.BadRequest, error: "unauthorized_client", detail: "This client may not use grant_type 'client_credentials'.");

    [Fact]
    public async Task A_disabled_client_is_401_invalid_client() =>
        await (await MachineTokenAsync("switched-off")).ShouldBeProblemAsync(
            HttpStatusCode.Unauthorized, error: "invalid_client", wwwAuthenticate: "Basic realm=\"user-services\"");

    [Fact]
    public async Task A_wrong_secret_is_401_invalid_client() =>
        await (await PostAsync(App.CreateClient(), "/user/token", Basic("backend", Secret + "x"), ("grant_type", "client_credentials")))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, error: "invalid_client", wwwAuthenticate: "Basic realm=\"user-services\"");

    [Theory]
    [InlineData("GET", "/user/user")]
    [InlineData("POST", "/user/logout")]
    [InlineData("GET", "/admin/users")]
    [InlineData("GET", "/admin/audit")]
    public async Task A_machine_token_on_an_account_endpoint_is_403_insufficient_scope(string method, string path)
    {
        var token = await AccessTokenAsync("defaults");

        var response = await App.BearerClient(token).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, error: "insufficient_scope",
            type: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
            detail: "This endpoint acts on an account; a client's own token (client credentials) names none. Sign in as a user.",
            wwwAuthenticate: "Bearer error=\"insufficient_scope\"");
    }

    [Fact]
    public async Task Introspection_says_active_with_the_client_while_it_is_enabled()
    {
        var token = await AccessTokenAsync("backend", ("scope", "orders:read"));

        var body = await IntrospectAsync(App, token);

        body.GetProperty("active").GetBoolean().ShouldBeTrue();
        body.Str("client_id").ShouldBe("backend");
        body.Str("sub").ShouldBe("backend");
        body.Str("scope").ShouldBe("orders:read");
        body.Str("aud").ShouldBe(Orders);
        body.Str("token_type").ShouldBe("bearer");
        body.TryGetProperty("username", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Introspection_says_inactive_once_the_client_is_disabled_or_removed()
    {
        var token = await AccessTokenAsync("backend");

        // The same database and key, with the client disabled, and then with it gone: what an operator's change does.
        var disabled = UserServicesApp.Defaults(fixture.DatabaseUrl);
        Fixture.Register(disabled, backendEnabled: false);
        await using (var app = UserServicesApp.Start(disabled))
        {
            var body = await IntrospectAsync(app, token, "plain");
            body.PropertyNames().ShouldBe(["active"]);
            body.GetProperty("active").GetBoolean().ShouldBeFalse();
        }

        var removed = UserServicesApp.Defaults(fixture.DatabaseUrl);
        removed["Clients:0:ClientId"] = "plain";
        removed["Clients:0:ClientSecret"] = Secret;
        await using (var app = UserServicesApp.Start(removed))
        {
            (await IntrospectAsync(app, token, "plain")).GetProperty("active").GetBoolean().ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Issuing_writes_nothing_to_the_database()
    {
        Task<int[]> CountsAsync() => App.WithDbAsync(async db => new[]
        {
            await db.RefreshTokens.CountAsync(), await db.AuditEvents.CountAsync(), await db.ClientAssertionUses.CountAsync(),
        });
        var before = await CountsAsync();

        for (var i = 0; i < 3; i++)
        {
            await AccessTokenAsync("backend");
        }

        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task The_limit_is_per_client_not_per_address()
    {
        var settings = UserServicesApp.Defaults(await fixture.Server.CreateDatabaseAsync("ClientCredentialsLimit"));
        Fixture.Register(settings);
        settings["RateLimits:ClientCredentialsPerClientPerMinute"] = "2";
        await using var app = UserServicesApp.Start(settings);
        var client = app.ClientFrom("10.20.30.40");
        Task<HttpResponseMessage> AskAsync(string clientId) =>
            PostAsync(client, "/user/token", Basic(clientId, Secret), ("grant_type", "client_credentials"));

        (await AskAsync("backend")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AskAsync("backend")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await AskAsync("backend");

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        // The same address, another client: its own count.
        (await AskAsync("defaults")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<System.Text.Json.JsonElement> IntrospectAsync(UserServicesApp app, string token, string clientId = "backend")
    {
        var response = await PostAsync(app.CreateClient(), "/user/introspect", Basic(clientId, Secret), ("token", token));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }
}
