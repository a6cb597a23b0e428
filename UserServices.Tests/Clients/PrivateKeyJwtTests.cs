using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Clients;

/// <summary>
/// <c>private_key_jwt</c> (RFC 7523 §2.2, OIDC Core §9): a client proves itself with a JWT signed by its registered
/// key, each assertion accepted once, on the token, revocation and introspection endpoints.
/// </summary>
public sealed class PrivateKeyJwtTests(PrivateKeyJwtTests.Fixture fixture) : IClassFixture<PrivateKeyJwtTests.Fixture>
{
    public const string PublicBaseUrl = "https://auth.example.com";
    public const string TokenEndpoint = PublicBaseUrl + "/user/token";
    private const string Secret = "secret-client-secret-0123456789abcdef-01";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<PrivateKeyJwtTests>(server)
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("userservices-client-keys-").FullName;

        public RSA RsaKey { get; } = RSA.Create(2048);

        public ECDsa EcKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        protected override void Configure(Dictionary<string, string?> settings) => Register(settings);

        /// <summary>This class's clients; also for a second replica on the same database.</summary>
        public void Register(Dictionary<string, string?> settings)
        {
            var jwks = Path.Combine(_folder, "rsa-client.jwks.json");
            var pem = Path.Combine(_folder, "ec-client.pem");
            File.WriteAllText(jwks, ClientAssertions.Jwks(RsaKey));
            File.WriteAllText(pem, ClientAssertions.PublicPem(EcKey));
            settings["Jwt:PublicBaseUrl"] = PublicBaseUrl;
            settings["Clients:0:ClientId"] = "rsa-client";
            settings["Clients:0:JwksPath"] = jwks;
            settings["Clients:0:AllowedGrants:0"] = "client_credentials";
            settings["Clients:1:ClientId"] = "ec-client";
            settings["Clients:1:PublicKeyPath"] = pem;
            settings["Clients:1:AllowedGrants:0"] = "client_credentials";
            settings["Clients:2:ClientId"] = "secret-client";
            settings["Clients:2:ClientSecret"] = Secret;
            settings["Clients:2:AllowedGrants:0"] = "client_credentials";
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            RsaKey.Dispose();
            EcKey.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private UserServicesApp App => fixture.App;

    private string RsaAssertion(string audience = TokenEndpoint, string? jti = "") => ClientAssertions.Sign(fixture.RsaKey, "rsa-client", audience, jti: jti);

    private static Task<HttpResponseMessage> TokenAsync(UserServicesApp app, string assertion, params (string Key, string Value)[] fields) =>
        app.CreateClient().PostAsync("/user/token", ClientAssertions.Form(assertion, [("grant_type", "client_credentials"), .. fields]));

    private Task<HttpResponseMessage> TokenAsync(string assertion, params (string Key, string Value)[] fields) => TokenAsync(App, assertion, fields);

    private static async Task ShouldBeInvalidClientAsync(HttpResponseMessage response, string? detail = null) =>
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, error: "invalid_client", detail: detail,
            wwwAuthenticate: "Basic realm=\"user-services\"");

    [Fact]
    public async Task An_rs256_assertion_checked_against_the_clients_jwks_gets_a_token()
    {
        var response = await TokenAsync(RsaAssertion());

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var payload = JwtParts.Payload((await response.ReadJsonAsync()).Str("access_token"));
        payload.Str("sub").ShouldBe("rsa-client");
        payload.Str("client_id").ShouldBe("rsa-client");
        payload.Str("iss").ShouldBe(PublicBaseUrl);
    }

    [Fact]
    public async Task An_es256_assertion_for_the_issuer_checked_against_the_clients_pem_gets_a_token()
    {
        var response = await TokenAsync(ClientAssertions.Sign(fixture.EcKey, "ec-client", PublicBaseUrl), ("client_id", "ec-client"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        JwtParts.Payload((await response.ReadJsonAsync()).Str("access_token")).Str("sub").ShouldBe("ec-client");
    }

    [Fact]
    public async Task A_replayed_assertion_is_401_invalid_client_and_audited()
    {
        var assertion = RsaAssertion();
        (await TokenAsync(assertion)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await ShouldBeInvalidClientAsync(await TokenAsync(assertion),
            "The client assertion was used already: sign a new one, with a new 'jti', for every request.");

        var jti = JwtParts.Payload(assertion).Str("jti");
        var audited = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "client.assertion_replayed").Select(e => e.Detail).ToListAsync());
        audited.ShouldContain($"client rsa-client, jti {jti}");
    }

    [Fact]
    public async Task Of_concurrent_uses_of_one_assertion_exactly_one_gets_a_token()
    {
        var assertion = RsaAssertion();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TokenAsync(assertion)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).ShouldBe(7);
    }

    [Fact]
    public async Task Two_replicas_on_one_database_accept_an_assertion_once()
    {
        var settings = UserServicesApp.Defaults(fixture.DatabaseUrl);
        fixture.Register(settings);
        await using var other = UserServicesApp.Start(settings);
        var assertion = RsaAssertion();

        var responses = await Task.WhenAll(TokenAsync(App, assertion), TokenAsync(other, assertion), TokenAsync(App, assertion), TokenAsync(other, assertion));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
    }

    [Fact]
    public async Task Two_replicas_sharing_redis_accept_an_assertion_once_and_record_it_there_only()
    {
        if (RedisServer.FindBinary() is null)
        {
            Assert.Fail("redis-server is not installed (apt-get install redis-server; .ci/run does).");
        }

        await using var redis = await RedisServer.StartNewAsync();
        var settings = UserServicesApp.Defaults(fixture.DatabaseUrl);
        fixture.Register(settings);
        settings["REDIS_URL"] = redis.Url;
        await using var first = UserServicesApp.Start(settings);
        await using var second = UserServicesApp.Start(settings);
        var assertion = RsaAssertion();
        var jti = JwtParts.Payload(assertion).Str("jti");

        var responses = await Task.WhenAll(TokenAsync(first, assertion), TokenAsync(second, assertion), TokenAsync(first, assertion), TokenAsync(second, assertion));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        (await App.WithDbAsync(db => db.ClientAssertionUses.CountAsync(u => u.Jti == jti))).ShouldBe(0);
    }

    [Fact]
    public async Task Without_redis_the_use_is_one_row_kept_until_the_assertion_expires()
    {
        var assertion = RsaAssertion();
        (await TokenAsync(assertion)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var jti = JwtParts.Payload(assertion).Str("jti");
        var row = await App.WithDbAsync(db => db.ClientAssertionUses.SingleAsync(u => u.Jti == jti));
        row.ClientId.ShouldBe("rsa-client");
        // exp plus the 30 seconds of clock skew the check allows.
        var exp = DateTimeOffset.FromUnixTimeSeconds(JwtParts.Payload(assertion).GetProperty("exp").GetInt64()).UtcDateTime;
        row.ExpiresAt.ShouldBe(exp.AddSeconds(30), TimeSpan.FromSeconds(1));
    }

    /// <summary>A JOSE header listing an extension nobody defined (RFC 7515 §4.1.11).</summary>
    private static readonly Dictionary<string, object> CriticalExtension = new() { ["crit"] = new List<string> { "zzz" }, ["zzz"] = 1 };

    public static TheoryData<string, string> BrokenAssertions() => new()
    {
        { "another audience", "Its 'aud' is neither this service's issuer nor its token endpoint URL." },
        { "expired", "It has expired." },
        { "more than five minutes ahead", "Its 'exp' is more than 5 minutes ahead." },
        { "another key", "Its signature does not match the client's registered key." },
        { "alg none", "It must be signed with RS256 or ES256." },
        { "HS256 with the public key as secret", "It must be signed with RS256 or ES256." },
        { "sub is not the client", "Its 'sub' must be the client id, as its 'iss' is." },
        { "no jti", "It needs a 'jti' of 1 to 256 printable characters, new for every assertion." },
        { "a jti with a NUL", "It needs a 'jti' of 1 to 256 printable characters, new for every assertion." },
        { "a crit header", "Its header lists critical extensions ('crit'), which this service does not understand." },
    };

    [Theory]
    [MemberData(nameof(BrokenAssertions))]
    public async Task A_broken_assertion_is_401_invalid_client_saying_what_is_wrong(string broken, string reason)
    {
        using var stranger = RSA.Create(2048);
        var assertion = broken switch
        {
            "another audience" => RsaAssertion("https://other-server.example.com/token"),
            "expired" => ClientAssertions.Sign(fixture.RsaKey, "rsa-client", TokenEndpoint, expires: DateTime.UtcNow.AddMinutes(-2)),
            "more than five minutes ahead" => ClientAssertions.Sign(fixture.RsaKey, "rsa-client", TokenEndpoint, expires: DateTime.UtcNow.AddMinutes(10)),
            "another key" => ClientAssertions.Sign(stranger, "rsa-client", TokenEndpoint),
            "alg none" => ClientAssertions.WithAlgNone("rsa-client", TokenEndpoint),
            "HS256 with the public key as secret" => ClientAssertions.SignedWithPublicKeyAsSecret(fixture.RsaKey, "rsa-client", TokenEndpoint),
            "sub is not the client" => ClientAssertions.Sign(fixture.RsaKey, "rsa-client", TokenEndpoint, subject: "someone-else"),
            "no jti" => RsaAssertion(jti: null),
            "a jti with a NUL" => RsaAssertion(jti: "x\0y"),
            "a crit header" => ClientAssertions.Sign(fixture.RsaKey, "rsa-client", TokenEndpoint, header: CriticalExtension),
            _ => throw new ArgumentOutOfRangeException(nameof(broken), broken, null),
        };

        await ShouldBeInvalidClientAsync(await TokenAsync(assertion), $"The client assertion is not valid: {reason}");
    }

    [Fact]
    public async Task An_assertion_naming_an_unknown_client_is_401_invalid_client() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(ClientAssertions.Sign(fixture.RsaKey, "nobody", TokenEndpoint)),
            "The client is unknown or its credentials are wrong.");

    [Fact]
    public async Task A_client_id_that_differs_from_the_assertions_is_401_invalid_client() =>
        await ShouldBeInvalidClientAsync(await TokenAsync(RsaAssertion(), ("client_id", "ec-client")), "The client is unknown or its credentials are wrong.");

    [Fact]
    public async Task A_key_client_cannot_use_a_secret_and_a_secret_client_cannot_use_an_assertion()
    {
        await ShouldBeInvalidClientAsync(await PostAsync(App.CreateClient(), "/user/token", Basic("rsa-client", Secret), ("grant_type", "client_credentials")));

        using var key = RSA.Create(2048);
        await ShouldBeInvalidClientAsync(await TokenAsync(ClientAssertions.Sign(key, "secret-client", TokenEndpoint)));
    }

    [Fact]
    public async Task An_assertion_together_with_basic_credentials_is_400_invalid_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/token")
        {
            Content = ClientAssertions.Form(RsaAssertion(), ("grant_type", "client_credentials")),
        };
        request.Headers.Authorization = Basic("secret-client", Secret);

        await (await App.CreateClient().SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_request",
            detail: "Authenticate the client one way: HTTP Basic, client_id and client_secret in the body, or a client assertion, not two.");
    }

    [Fact]
    public async Task Another_assertion_type_is_400_invalid_request()
    {
        var response = await App.CreateClient().PostAsync("/user/token", Form(
            ("grant_type", "client_credentials"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"), ("client_assertion", RsaAssertion())));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_request",
            detail: "Send client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer together with client_assertion.");
    }

    [Fact]
    public async Task Introspection_and_revocation_accept_an_assertion()
    {
        var token = (await (await TokenAsync(RsaAssertion())).ReadJsonAsync()).Str("access_token");

        var introspection = await App.CreateClient().PostAsync("/user/introspect", ClientAssertions.Form(RsaAssertion(), ("token", token)));
        introspection.StatusCode.ShouldBe(HttpStatusCode.OK, await introspection.Content.ReadAsStringAsync());
        var body = await introspection.ReadJsonAsync();
        body.GetProperty("active").GetBoolean().ShouldBeTrue();
        body.Str("client_id").ShouldBe("rsa-client");

        var revocation = await App.CreateClient().PostAsync("/user/revoke", ClientAssertions.Form(RsaAssertion(), ("token", "not-a-token")));
        revocation.StatusCode.ShouldBe(HttpStatusCode.OK, await revocation.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Discovery_lists_the_grant_the_method_and_its_algorithms_on_every_endpoint()
    {
        var metadata = await (await App.CreateClient().GetAsync("/.well-known/openid-configuration")).ReadJsonAsync();

        string[] Strings(string name) => [.. metadata.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        Strings("grant_types_supported").ShouldBe(["client_credentials"]);
        Strings("token_endpoint_auth_methods_supported").ShouldBe(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
        Strings("revocation_endpoint_auth_methods_supported").ShouldBe(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
        Strings("introspection_endpoint_auth_methods_supported").ShouldBe(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
        foreach (var endpoint in new[] { "token", "revocation", "introspection" })
        {
            Strings($"{endpoint}_endpoint_auth_signing_alg_values_supported").ShouldBe(["RS256", "ES256"]);
        }

        metadata.Str("token_endpoint").ShouldBe(TokenEndpoint);
    }

    [Fact]
    public async Task The_hourly_cleanup_deletes_uses_of_expired_assertions_only()
    {
        await App.WithDbAsync(async db =>
        {
            db.ClientAssertionUses.Add(new() { ClientId = "rsa-client", Jti = "old-one", ExpiresAt = DateTime.UtcNow.AddMinutes(-1) });
            db.ClientAssertionUses.Add(new() { ClientId = "rsa-client", Jti = "live-one", ExpiresAt = DateTime.UtcNow.AddMinutes(5) });
            return await db.SaveChangesAsync();
        });

        var cleanup = App.Services.GetRequiredService<UserServices.Api.Clients.ClientAssertionCleanup>();
        (await cleanup.DeleteExpiredAsync(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);

        var left = await App.WithDbAsync(db => db.ClientAssertionUses.Where(u => u.Jti == "old-one" || u.Jti == "live-one").Select(u => u.Jti).ToListAsync());
        left.ShouldBe(["live-one"]);
    }
}
