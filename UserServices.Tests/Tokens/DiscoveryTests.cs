using System.Net;
using System.Text.Json;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>
/// RFC 8414 metadata, field by field: what a standard client reads to find the service from its URL alone, and
/// nothing the service does not do.
/// </summary>
public sealed class DiscoveryTests(PostgresServer server) : IAsyncLifetime
{
    private const string PublicUrl = "https://auth.example.com";
    private const string Rfc8414Path = "/.well-known/oauth-authorization-server";
    private const string OpenIdPath = "/.well-known/openid-configuration";
    private readonly List<UserServicesApp> _apps = [];
    private string _databaseUrl = "";

    public async ValueTask InitializeAsync() => _databaseUrl = await server.CreateDatabaseAsync(nameof(DiscoveryTests));

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    private UserServicesApp Start(params (string Key, string Value)[] overrides)
    {
        var settings = UserServicesApp.Defaults(_databaseUrl);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var app = UserServicesApp.Start(settings);
        _apps.Add(app);
        return app;
    }

    private static readonly (string, string)[] WithClients =
    [
        ("Jwt:PublicBaseUrl", PublicUrl + "/"),
        ("Clients:0:ClientId", "backend"),
        ("Clients:0:ClientSecret", "backend-secret-0123456789abcdef-0123456789"),
        ("Clients:0:AllowedScopes:0", "orders:read"),
        ("Clients:1:ClientId", "spa"),
        ("Clients:1:AllowedGrants:0", "password"),
        ("Clients:1:AllowedScopes:0", "profile"),
        ("Clients:1:AllowedScopes:1", "orders:read"),
    ];

    private static async Task<JsonElement> MetadataAsync(UserServicesApp app, string path)
    {
        var response = await app.CreateClient().GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return await response.ReadJsonAsync();
    }

    private static string[] Strings(JsonElement metadata, string name) =>
        [.. metadata.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Rfc8414_metadata_lists_exactly_what_the_service_does()
    {
        var metadata = await MetadataAsync(Start(WithClients), Rfc8414Path);

        metadata.PropertyNames().Order(StringComparer.Ordinal).ShouldBe([
            "grant_types_supported", "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "issuer",
            "jwks_uri", "response_types_supported", "revocation_endpoint", "revocation_endpoint_auth_methods_supported",
            "scopes_supported", "token_endpoint", "token_endpoint_auth_methods_supported"]);
        metadata.Str("issuer").ShouldBe(PublicUrl);
        metadata.Str("token_endpoint").ShouldBe($"{PublicUrl}/user/token");
        metadata.Str("jwks_uri").ShouldBe($"{PublicUrl}/.well-known/jwks.json");
        metadata.Str("revocation_endpoint").ShouldBe($"{PublicUrl}/user/revoke");
        metadata.Str("introspection_endpoint").ShouldBe($"{PublicUrl}/user/introspect");
        // No authorization endpoint, so no response type can be true (RFC 8414 §2 still requires the member).
        Strings(metadata, "response_types_supported").ShouldBeEmpty();
        // PUBLIC_BASE_URL names the passkeys' relying party too, so the passkey grant is on.
        Strings(metadata, "grant_types_supported").ShouldBe(["password", "refresh_token", "http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-recovery-code", "urn:userservices:params:oauth:grant-type:passkey"]);
        Strings(metadata, "token_endpoint_auth_methods_supported").ShouldBe(["none", "client_secret_basic", "client_secret_post"]);
        Strings(metadata, "revocation_endpoint_auth_methods_supported").ShouldBe(["none", "client_secret_basic", "client_secret_post"]);
        Strings(metadata, "introspection_endpoint_auth_methods_supported").ShouldBe(["client_secret_basic", "client_secret_post"]);
        Strings(metadata, "scopes_supported").ShouldBe(["orders:read", "profile"]);
    }

    [Fact]
    public async Task Openid_configuration_is_the_same_document()
    {
        var app = Start(WithClients);

        var openId = await app.CreateClient().GetStringAsync(OpenIdPath);
        var rfc8414 = await app.CreateClient().GetStringAsync(Rfc8414Path);

        openId.ShouldBe(rfc8414);
    }

    [Theory]
    [InlineData(Rfc8414Path)]
    [InlineData(OpenIdPath)]
    public async Task Issuer_is_the_url_the_metadata_was_fetched_from(string path)
    {
        // RFC 8414 §3.3 and OpenID Discovery §4.3: issuer + well-known path = the URL fetched.
        var metadata = await MetadataAsync(Start(("Jwt:PublicBaseUrl", PublicUrl)), path);

        (metadata.Str("issuer") + path).ShouldBe(PublicUrl + path);
    }

    [Fact]
    public async Task Issued_tokens_name_the_metadata_issuer()
    {
        var app = Start(("Jwt:PublicBaseUrl", PublicUrl));
        (await app.RegisterAsync("issued", "issued@example.com", Password)).EnsureSuccessStatusCode();

        var token = await app.TokenAsync("issued", Password);

        JwtParts.Payload(token).Str("iss").ShouldBe((await MetadataAsync(app, Rfc8414Path)).Str("issuer"));
        (await app.BearerClient(token).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PUBLIC_BASE_URL_sets_the_public_address_and_the_issuer()
    {
        var metadata = await MetadataAsync(Start(("PUBLIC_BASE_URL", "https://login.example.org")), Rfc8414Path);

        metadata.Str("issuer").ShouldBe("https://login.example.org");
        metadata.Str("token_endpoint").ShouldBe("https://login.example.org/user/token");
    }

    [Fact]
    public async Task An_explicit_issuer_wins_over_the_public_address()
    {
        var metadata = await MetadataAsync(Start(("Jwt:PublicBaseUrl", PublicUrl), ("Jwt:Issuer", "user-services")), Rfc8414Path);

        metadata.Str("issuer").ShouldBe("user-services");
        metadata.Str("token_endpoint").ShouldBe($"{PublicUrl}/user/token");
    }

    [Fact]
    public async Task Without_clients_only_public_clients_both_grants_and_no_introspection_are_offered()
    {
        var metadata = await MetadataAsync(Start(), Rfc8414Path);

        metadata.PropertyNames().Order(StringComparer.Ordinal).ShouldBe([
            "grant_types_supported", "issuer", "jwks_uri", "response_types_supported", "revocation_endpoint",
            "revocation_endpoint_auth_methods_supported", "token_endpoint", "token_endpoint_auth_methods_supported"]);
        metadata.Str("issuer").ShouldBe("user-services");
        metadata.Str("token_endpoint").ShouldBe("http://localhost/user/token");
        Strings(metadata, "grant_types_supported").ShouldBe(["password", "refresh_token", "http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-recovery-code"]);
        Strings(metadata, "token_endpoint_auth_methods_supported").ShouldBe(["none"]);
        Strings(metadata, "revocation_endpoint_auth_methods_supported").ShouldBe(["none"]);
    }

    [Fact]
    public async Task Only_confidential_clients_mean_no_none_method_and_grants_are_what_some_client_may_use()
    {
        var metadata = await MetadataAsync(Start(
            ("Clients:0:ClientId", "backend"),
            ("Clients:0:ClientSecret", "backend-secret-0123456789abcdef-0123456789"),
            ("Clients:0:AllowedGrants:0", "password")), Rfc8414Path);

        Strings(metadata, "token_endpoint_auth_methods_supported").ShouldBe(["client_secret_basic", "client_secret_post"]);
        Strings(metadata, "grant_types_supported").ShouldBe(["password"]);
        metadata.TryGetProperty("scopes_supported", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Tokens_of_a_previous_issuer_keep_working_during_a_transition()
    {
        var before = Start();
        (await before.RegisterAsync("mover", "mover@example.com", Password)).EnsureSuccessStatusCode();
        var oldToken = await before.TokenAsync("mover", Password);
        JwtParts.Payload(oldToken).Str("iss").ShouldBe("user-services");

        var during = Start(("Jwt:PublicBaseUrl", PublicUrl), ("Jwt:PreviousIssuers:0", "user-services"));
        var after = Start(("Jwt:PublicBaseUrl", PublicUrl));

        (await during.BearerClient(oldToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await after.BearerClient(oldToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JwtParts.Payload(await during.TokenAsync("mover", Password)).Str("iss").ShouldBe(PublicUrl);
    }
}
