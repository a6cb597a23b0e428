using System.Net;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>With no clients registered (the default), the original's clients keep working exactly as before.</summary>
public sealed class NoClientsTests(NoClientsTests.Fixture fixture) : IClassFixture<NoClientsTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<NoClientsTests>(server)
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("dave", "dave@example.com", Password)).EnsureSuccessStatusCode();
        }
    }

    private UserServicesApp App => fixture.App;

    [Theory]
    [InlineData(null)]
    [InlineData("Basic bm90OnZhbGlk")]
    [InlineData("Basic %%%")]
    [InlineData("Bearer whatever")]
    public async Task Any_authorization_header_or_none_is_ignored_on_the_token_endpoint(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/token") { Content = Form(("username", "dave"), ("password", Password)) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await App.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token"]);
    }

    [Fact]
    public async Task Client_credentials_needs_a_registered_client()
    {
        var response = await App.CreateClient().PostAsync("/user/token", Form(("grant_type", "client_credentials"), ("client_id", "anyone")));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "unauthorized_client", detail: "This client may not use grant_type 'client_credentials'.");
    }

    [Fact]
    public async Task Refresh_and_revoke_need_no_client()
    {
        var login = await (await App.PostTokenAsync(("username", "dave"), ("password", Password))).ReadJsonAsync();
        var refreshed = await App.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", login.Str("refresh_token")));
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoke = await App.CreateClient().PostAsync("/user/revoke", Form(("token", (await refreshed.ReadJsonAsync()).Str("refresh_token"))));

        revoke.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revoke.Content.ReadAsStringAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Introspection_needs_a_registered_confidential_client_so_it_is_401()
    {
        var token = await App.TokenAsync("dave", Password);

        var response = await PostAsync(App.CreateClient(), "/user/introspect", Basic("anyone", "anything-at-all"), ("token", token));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Basic realm=\"user-services\"");
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_client");
    }
}
