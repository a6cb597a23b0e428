using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>
/// RFC 7662: a resource server asks whether a token still counts. Live tokens answer with their claims; anything
/// else, including access tokens whose account changed since, answers exactly <c>{"active":false}</c>.
/// </summary>
public sealed class IntrospectionTests(IntrospectionTests.Fixture fixture) : IClassFixture<IntrospectionTests.Fixture>
{
    public const string ResourceSecret = "resource-server-secret-0123456789abcdef";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<IntrospectionTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Clients:0:ClientId"] = "resource-server";
            settings["Clients:0:ClientSecret"] = ResourceSecret;
            settings["Clients:1:ClientId"] = "spa";
            settings["Clients:1:AllowedScopes:0"] = "orders:read";
        }
    }

    private UserServicesApp App => fixture.App;

    /// <summary>Registers <paramref name="username"/> and signs in as the public client <c>spa</c>.</summary>
    private async Task<(string Access, string Refresh)> SignInAsync(string username, string scope = "")
    {
        (await App.RegisterAsync(username, $"{username}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var response = await App.PostTokenAsync(("username", username), ("password", Password), ("client_id", "spa"), ("scope", scope));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        return (body.Str("access_token"), body.Str("refresh_token"));
    }

    private async Task<HttpResponseMessage> IntrospectAsync(string token) =>
        await PostAsync(App.CreateClient(), "/user/introspect", Basic("resource-server", ResourceSecret), ("token", token));

    private async Task ShouldBeInactiveAsync(string token)
    {
        var response = await IntrospectAsync(token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"active":false}""");
    }

    private async Task<JsonElement> ActiveAsync(string token)
    {
        var response = await IntrospectAsync(token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await response.ReadJsonAsync();
        body.GetProperty("active").GetBoolean().ShouldBeTrue(body.ToString());
        return body;
    }

    [Fact]
    public async Task A_live_access_token_is_active_with_its_claims()
    {
        var (access, _) = await SignInAsync("live", "orders:read");

        var body = await ActiveAsync(access);

        var claims = JwtParts.Payload(access);
        body.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(
            ["active", "aud", "auth_time", "client_id", "exp", "iat", "iss", "jti", "nbf", "scope", "sub", "token_type", "username"]);
        body.Str("token_type").ShouldBe("bearer");
        body.Str("client_id").ShouldBe("spa");
        body.Str("scope").ShouldBe("orders:read");
        body.Str("username").ShouldBe("live");
        body.Str("sub").ShouldBe(claims.Str("sub"));
        body.Str("aud").ShouldBe("user-services");
        body.Str("iss").ShouldBe("user-services");
        body.Str("jti").ShouldBe(claims.Str("jti"));
        foreach (var time in new[] { "exp", "iat", "nbf", "auth_time" })
        {
            body.GetProperty(time).GetInt64().ShouldBe(claims.GetProperty(time).GetInt64(), time);
        }
    }

    [Fact]
    public async Task A_live_refresh_token_is_active_and_says_it_is_no_bearer_token()
    {
        var (access, refresh) = await SignInAsync("refresher");

        var body = await ActiveAsync(refresh);

        body.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(
            ["active", "auth_time", "client_id", "exp", "iat", "iss", "sub", "token_type", "username"]);
        body.Str("token_type").ShouldBe("refresh_token");
        body.Str("client_id").ShouldBe("spa");
        body.Str("sub").ShouldBe(JwtParts.Payload(access).Str("sub"));
        body.GetProperty("auth_time").GetInt64().ShouldBe(JwtParts.Payload(access).GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public async Task Access_token_of_a_locked_account_is_inactive()
    {
        var (access, refresh) = await SignInAsync("locked");
        await ActiveAsync(access);

        // Only the lockout changes; the security stamp stays, so this is the lockout check on its own.
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "locked")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1))))).ShouldBe(1);

        await ShouldBeInactiveAsync(access);
        await ShouldBeInactiveAsync(refresh);
    }

    [Fact]
    public async Task Access_token_of_a_deleted_account_is_inactive()
    {
        var (access, refresh) = await SignInAsync("deleted");
        await ActiveAsync(access);

        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "deleted").ExecuteDeleteAsync())).ShouldBe(1);

        await ShouldBeInactiveAsync(access);
        await ShouldBeInactiveAsync(refresh);
    }

    [Fact]
    public async Task Access_token_issued_before_a_password_change_is_inactive()
    {
        var (access, refresh) = await SignInAsync("changer");
        await ActiveAsync(access);

        var change = await App.BearerClient(access).PutAsJsonAsync("/user/password",
            new { current_password = Password, new_password = "a brand new passphrase" });
        change.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeInactiveAsync(access);
        await ShouldBeInactiveAsync(refresh);
    }

    [Fact]
    public async Task After_logout_the_sessions_tokens_are_inactive()
    {
        var (access, refresh) = await SignInAsync("leaver");

        (await App.BearerClient(access).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeInactiveAsync(access);
        await ShouldBeInactiveAsync(refresh);
    }

    [Fact]
    public async Task A_session_ended_from_another_one_has_inactive_tokens_and_the_bearer_check_agrees()
    {
        var (access, refresh) = await SignInAsync("remote");
        var other = await (await App.PostTokenAsync(("username", "remote"), ("password", Password), ("client_id", "spa"))).ReadJsonAsync();
        var sid = AccessTokens.ClaimsOf(access, "sid")["sid"];

        (await App.BearerClient(other.Str("access_token")).DeleteAsync($"/user/sessions/{sid}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeInactiveAsync(access);
        await ShouldBeInactiveAsync(refresh);
        await (await App.BearerClient(access).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        await ActiveAsync(other.Str("access_token"));
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_inactive_and_its_successor_active()
    {
        var (_, refresh) = await SignInAsync("rotator");
        var next = await (await App.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "spa"))).ReadJsonAsync();

        await ShouldBeInactiveAsync(refresh);
        await ActiveAsync(next.Str("refresh_token"));
        await ActiveAsync(next.Str("access_token"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")]
    public async Task Unknown_or_malformed_tokens_are_inactive(string suffix) => await ShouldBeInactiveAsync("x" + suffix);

    [Fact]
    public async Task A_tampered_access_token_is_inactive()
    {
        var (access, _) = await SignInAsync("tampered");

        await ShouldBeInactiveAsync(access[..^3] + (access[^3] == 'A' ? "BBB" : "AAA"));
    }

    [Fact]
    public async Task The_form_body_authenticates_too()
    {
        var (access, _) = await SignInAsync("formed");

        var response = await PostAsync(App.CreateClient(), "/user/introspect", null,
            ("token", access), ("client_id", "resource-server"), ("client_secret", ResourceSecret));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetProperty("active").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [InlineData("spa", null)]
    [InlineData("resource-server", "wrong-secret-wrong-secret-wrong-secret")]
    [InlineData("nobody", "secret-secret-secret-secret-secret-secret")]
    public async Task Public_unknown_or_wrongly_authenticated_clients_get_401_invalid_client(string clientId, string? secret)
    {
        var (access, _) = await SignInAsync($"refused-{clientId}-{secret?.Length}");
        (string, string)[] fields = secret is null ? [("token", access), ("client_id", clientId)] : [("token", access), ("client_id", clientId), ("client_secret", secret)];

        var response = await PostAsync(App.CreateClient(), "/user/introspect", null, fields);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Basic realm=\"user-services\"");
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_client");
    }
}
