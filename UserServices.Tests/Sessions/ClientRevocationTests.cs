using System.Net;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Sessions;

/// <summary>RFC 7009 with registered clients: public clients name themselves, confidential ones authenticate, each revokes only its own.</summary>
public sealed class ClientRevocationTests(ClientRevocationTests.Fixture fixture) : IClassFixture<ClientRevocationTests.Fixture>
{
    private const string BackendSecret = "backend-secret-0123456789abcdef-0123456789";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<ClientRevocationTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Clients:0:ClientId"] = "spa";
            settings["Clients:1:ClientId"] = "backend";
            settings["Clients:1:ClientSecret"] = BackendSecret;
        }
    }

    private UserServicesApp App => fixture.App;

    private async Task<string> RefreshTokenAsync(string username, System.Net.Http.Headers.AuthenticationHeaderValue? basic, params (string, string)[] client)
    {
        (await App.RegisterAsync(username, $"{username}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var response = await PostAsync(App.CreateClient(), "/user/token", basic, [("username", username), ("password", Password), .. client]);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadJsonAsync()).Str("refresh_token");
    }

    private async Task<HttpStatusCode> RefreshAsync(string refresh, System.Net.Http.Headers.AuthenticationHeaderValue? basic, params (string, string)[] client) =>
        (await PostAsync(App.CreateClient(), "/user/token", basic, [("grant_type", "refresh_token"), ("refresh_token", refresh), .. client])).StatusCode;

    [Fact]
    public async Task A_public_client_revokes_its_token_with_its_client_id()
    {
        var refresh = await RefreshTokenAsync("pub", null, ("client_id", "spa"));

        (await PostAsync(App.CreateClient(), "/user/revoke", null, ("token", refresh), ("client_id", "spa"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await RefreshAsync(refresh, null, ("client_id", "spa"))).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_confidential_client_revokes_after_authenticating()
    {
        var refresh = await RefreshTokenAsync("conf", Basic("backend", BackendSecret));

        (await PostAsync(App.CreateClient(), "/user/revoke", Basic("backend", BackendSecret), ("token", refresh))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await RefreshAsync(refresh, Basic("backend", BackendSecret))).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_confidential_client_with_a_wrong_secret_is_401_invalid_client_and_revokes_nothing()
    {
        var refresh = await RefreshTokenAsync("wrongsecret", Basic("backend", BackendSecret));

        var response = await PostAsync(App.CreateClient(), "/user/revoke", Basic("backend", "not-the-secret"), ("token", refresh));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Basic realm=\"user-services\"");
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_client");
        (await RefreshAsync(refresh, Basic("backend", BackendSecret))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_clients_token_is_answered_200_and_left_alone()
    {
        var refresh = await RefreshTokenAsync("foreign", null, ("client_id", "spa"));

        (await PostAsync(App.CreateClient(), "/user/revoke", Basic("backend", BackendSecret), ("token", refresh))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await RefreshAsync(refresh, null, ("client_id", "spa"))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_client_id_revocation_is_401_once_clients_are_registered()
    {
        var response = await PostAsync(App.CreateClient(), "/user/revoke", null, ("token", "anything"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_client");
    }
}
