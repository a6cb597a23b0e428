using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>RFC 9068: every access token says which client it was issued to and when its sign-in began.</summary>
public sealed class AccessTokenProfileTests(AccessTokenProfileTests.Fixture fixture) : IClassFixture<AccessTokenProfileTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<AccessTokenProfileTests>(server)
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("carol", "carol@example.com", Password)).EnsureSuccessStatusCode();
        }
    }

    private UserServicesApp App => fixture.App;

    private async Task<System.Text.Json.JsonElement> TokensAsync(params (string Key, string Value)[] fields)
    {
        var response = await App.PostTokenAsync(fields);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Access_token_keeps_every_claim_of_before_and_adds_client_id_and_auth_time()
    {
        var token = (await TokensAsync(("username", "carol"), ("password", Password))).Str("access_token");

        JwtParts.Header(token).Str("typ").ShouldBe("at+jwt");
        var payload = JwtParts.Payload(token);
        payload.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(
            ["amr", "aud", "auth_time", "client_id", "email", "exp", "iat", "iss", "jti", "nbf", "preferred_username", "role", "sid", "sst", "sub"]);
        payload.GetProperty("auth_time").GetInt64().ShouldBe(payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Without_a_client_id_the_token_carries_the_default_client()
    {
        var token = (await TokensAsync(("username", "carol"), ("password", Password))).Str("access_token");

        JwtParts.Payload(token).Str("client_id").ShouldBe("default");
    }

    [Fact]
    public async Task Without_registered_clients_the_named_client_id_is_carried_as_given()
    {
        var login = await TokensAsync(("username", "carol"), ("password", Password), ("client_id", "mobile-app"), ("client_secret", "anything"));
        JwtParts.Payload(login.Str("access_token")).Str("client_id").ShouldBe("mobile-app");

        // A refresh keeps the client of the sign-in, whatever the refresh request says.
        var refreshed = await TokensAsync(("grant_type", "refresh_token"), ("refresh_token", login.Str("refresh_token")), ("client_id", "other"));
        JwtParts.Payload(refreshed.Str("access_token")).Str("client_id").ShouldBe("mobile-app");
    }

    [Fact]
    public async Task Without_registered_clients_a_client_id_a_client_could_not_have_is_400()
    {
        var response = await App.PostTokenAsync(("username", "carol"), ("password", Password), ("client_id", new string('x', 257)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Without_registered_clients_scope_is_ignored_as_before()
    {
        var body = await TokensAsync(("username", "carol"), ("password", Password), ("scope", "orders:read admin"));

        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token"]);
        JwtParts.Payload(body.Str("access_token")).TryGetProperty("scope", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Auth_time_is_the_password_login_and_survives_refresh()
    {
        var login = await TokensAsync(("username", "carol"), ("password", Password));
        // Move the sign-in an hour into the past, as if the login had happened then.
        var loggedInAt = DateTime.UtcNow.AddHours(-1);
        var sessionId = Guid.ParseExact(JwtParts.Payload(login.Str("access_token")).Str("sid"), "N");
        (await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.FamilyId == sessionId)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.AuthTime, loggedInAt)))).ShouldBe(1);

        var first = await TokensAsync(("grant_type", "refresh_token"), ("refresh_token", login.Str("refresh_token")));
        var second = await TokensAsync(("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token")));

        var expected = new DateTimeOffset(loggedInAt).ToUnixTimeSeconds();
        JwtParts.Payload(first.Str("access_token")).GetProperty("auth_time").GetInt64().ShouldBe(expected);
        JwtParts.Payload(second.Str("access_token")).GetProperty("auth_time").GetInt64().ShouldBe(expected);
        JwtParts.Payload(second.Str("access_token")).GetProperty("iat").GetInt64().ShouldBeGreaterThan(expected + 3000);
    }
}
