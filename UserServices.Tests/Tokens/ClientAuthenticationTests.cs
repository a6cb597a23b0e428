using System.Net;
using System.Net.Http.Json;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>With clients registered: who may ask for tokens, how a client proves it, and what each refusal looks like.</summary>
public sealed class ClientAuthenticationTests(ClientAuthenticationTests.Fixture fixture) : IClassFixture<ClientAuthenticationTests.Fixture>
{
    public const string BackendSecret = "backend-secret-0123456789abcdef-0123456789";

    /// <summary>Every character RFC 6749 §2.3.1 makes a client form-urlencode in a Basic header.</summary>
    public const string SpecialSecret = "p@ss:word+with%special/chars & spaces-0123456789";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<ClientAuthenticationTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Clients:0:ClientId"] = "backend";
            settings["Clients:0:ClientSecret"] = BackendSecret;
            settings["Clients:0:AllowedScopes:0"] = "orders:read";
            settings["Clients:0:AllowedScopes:1"] = "orders:write";
            settings["Clients:1:ClientId"] = "spa";
            settings["Clients:2:ClientId"] = "password-only";
            settings["Clients:2:AllowedGrants:0"] = "password";
            settings["Clients:3:ClientId"] = "special";
            settings["Clients:3:ClientSecret"] = SpecialSecret;
        }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("alice", "alice@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    private UserServicesApp App => fixture.App;

    private Task<HttpResponseMessage> TokenAsync(System.Net.Http.Headers.AuthenticationHeaderValue? basic, params (string Key, string Value)[] fields) =>
        PostAsync(App.CreateClient(), "/user/token", basic, fields);

    private static async Task ShouldBeInvalidClientAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, await response.Content.ReadAsStringAsync());
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Basic realm=\"user-services\"");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.ReadJsonAsync();
        body.Str("error").ShouldBe("invalid_client");
        body.GetProperty("status").GetInt32().ShouldBe(401);
        body.Str("error_description").ShouldBe(body.Str("detail"));
    }

    private static async Task<string> AccessTokenOfAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).Str("access_token");
    }

    [Fact]
    public async Task Confidential_client_authenticates_with_http_basic()
    {
        var token = await AccessTokenOfAsync(await TokenAsync(Basic("backend", BackendSecret), ("grant_type", "password"), ("username", "alice"), ("password", Password)));

        JwtParts.Payload(token).Str("client_id").ShouldBe("backend");
    }

    [Fact]
    public async Task Confidential_client_authenticates_in_the_form_body()
    {
        var token = await AccessTokenOfAsync(await TokenAsync(null,
            ("grant_type", "password"), ("username", "alice"), ("password", Password), ("client_id", "backend"), ("client_secret", BackendSecret)));

        JwtParts.Payload(token).Str("client_id").ShouldBe("backend");
    }

    [Fact]
    public async Task Basic_credentials_are_form_urlencoded_before_base64()
    {
        var token = await AccessTokenOfAsync(await TokenAsync(Basic("special", SpecialSecret), ("username", "alice"), ("password", Password)));

        JwtParts.Payload(token).Str("client_id").ShouldBe("special");
    }

    [Fact]
    public async Task Public_client_identifies_with_client_id_alone()
    {
        var token = await AccessTokenOfAsync(await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "spa")));

        JwtParts.Payload(token).Str("client_id").ShouldBe("spa");
    }

    [Fact]
    public async Task Wrong_secret_over_basic_is_401_invalid_client_with_basic_challenge() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(Basic("backend", BackendSecret + "x"), ("username", "alice"), ("password", Password)));

    [Fact]
    public async Task Wrong_secret_in_the_form_is_401_invalid_client_with_basic_challenge() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(null,
            ("username", "alice"), ("password", Password), ("client_id", "backend"), ("client_secret", BackendSecret[..^1])));

    [Fact]
    public async Task Unknown_client_is_401_invalid_client() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "stranger")));

    [Fact]
    public async Task No_client_at_all_is_401_invalid_client_once_clients_are_registered() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(null, ("username", "alice"), ("password", Password)));

    [Fact]
    public async Task Confidential_client_without_its_secret_is_401_invalid_client() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "backend")));

    [Fact]
    public async Task Public_client_sending_a_secret_is_401_invalid_client() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(Basic("spa", "made-up-secret"), ("username", "alice"), ("password", Password)));

    [Fact]
    public async Task Malformed_basic_header_is_401_invalid_client() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(new("Basic", "not base64!"), ("username", "alice"), ("password", Password)));

    [Fact]
    public async Task Two_authentication_methods_at_once_are_400_invalid_request()
    {
        var response = await TokenAsync(Basic("backend", BackendSecret),
            ("username", "alice"), ("password", Password), ("client_id", "backend"), ("client_secret", BackendSecret));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_request");
    }

    [Fact]
    public async Task A_client_refused_a_grant_is_400_unauthorized_client()
    {
        var login = await (await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "password-only"))).ReadJsonAsync();

        var response = await TokenAsync(null, ("grant_type", "refresh_token"), ("refresh_token", login.Str("refresh_token")), ("client_id", "password-only"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.ReadJsonAsync();
        body.Str("error").ShouldBe("unauthorized_client");
        body.Str("detail").ShouldBe("This client may not use grant_type 'refresh_token'.");
    }

    [Fact]
    public async Task A_refresh_token_works_only_for_the_client_it_was_issued_to()
    {
        var login = await (await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "spa"))).ReadJsonAsync();

        var stolen = await TokenAsync(Basic("backend", BackendSecret), ("grant_type", "refresh_token"), ("refresh_token", login.Str("refresh_token")));
        stolen.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await stolen.ReadJsonAsync();
        body.Str("error").ShouldBe("invalid_grant");
        body.Str("detail").ShouldBe("The refresh token was issued to another client.");

        var own = await TokenAsync(null, ("grant_type", "refresh_token"), ("refresh_token", login.Str("refresh_token")), ("client_id", "spa"));
        JwtParts.Payload(await AccessTokenOfAsync(own)).Str("client_id").ShouldBe("spa");
    }

    [Fact]
    public async Task Requested_scopes_are_narrowed_to_the_clients_and_kept_across_refresh()
    {
        var login = await TokenAsync(Basic("backend", BackendSecret), ("username", "alice"), ("password", Password), ("scope", "orders:write admin orders:read"));
        var body = await login.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token", "scope"]);
        body.Str("scope").ShouldBe("orders:read orders:write");
        JwtParts.Payload(body.Str("access_token")).Str("scope").ShouldBe("orders:read orders:write");

        // Narrowed for one access token, the session's grant stays as it was.
        var narrowed = await (await TokenAsync(Basic("backend", BackendSecret),
            ("grant_type", "refresh_token"), ("refresh_token", body.Str("refresh_token")), ("scope", "orders:read admin"))).ReadJsonAsync();
        narrowed.Str("scope").ShouldBe("orders:read");
        var again = await (await TokenAsync(Basic("backend", BackendSecret),
            ("grant_type", "refresh_token"), ("refresh_token", narrowed.Str("refresh_token")))).ReadJsonAsync();
        JwtParts.Payload(again.Str("access_token")).Str("scope").ShouldBe("orders:read orders:write");
    }

    [Fact]
    public async Task No_scope_requested_means_no_scope_claim_and_none_in_the_answer()
    {
        var body = await (await TokenAsync(Basic("backend", BackendSecret), ("username", "alice"), ("password", Password))).ReadJsonAsync();

        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token"]);
        JwtParts.Payload(body.Str("access_token")).TryGetProperty("scope", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Client_secrets_never_reach_the_log()
    {
        await AccessTokenOfAsync(await TokenAsync(Basic("backend", BackendSecret), ("username", "alice"), ("password", Password)));
        await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "backend"), ("client_secret", BackendSecret));
        await TokenAsync(null, ("username", "alice"), ("password", Password), ("client_id", "backend"), ("client_secret", "wrong-" + BackendSecret));
        await PostAsync(App.CreateClient(), "/user/introspect", Basic("special", SpecialSecret), ("token", "x"));

        App.Logs.ShouldNotBeEmpty();
        App.Logs.ShouldAllBe(line => !line.Contains(BackendSecret) && !line.Contains(SpecialSecret));
    }

    [Fact]
    public async Task Registration_and_profile_need_no_client()
    {
        var client = App.CreateClient();
        (await client.PostAsJsonAsync("/user/register", new { username = "bob", email = "bob@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await AccessTokenOfAsync(await TokenAsync(null, ("username", "bob"), ("password", Password), ("client_id", "spa")));

        (await App.BearerClient(token).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
