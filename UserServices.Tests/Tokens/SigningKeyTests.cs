using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Tokens;

/// <summary>Asymmetric signing, published keys and discovery, checked by a real second service.</summary>
public sealed class SigningKeyTests(ServiceFixture<SigningKeyTests> fixture) : IClassFixture<ServiceFixture<SigningKeyTests>>, IAsyncDisposable
{
    private const string Password = "correct horse battery";
    private readonly string _keys = Directory.CreateTempSubdirectory("userservices-keys-").FullName;
    private readonly List<IAsyncDisposable> _apps = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Directory.Delete(_keys, recursive: true);
    }

    private string WritePem(string name, AsymmetricAlgorithm key)
    {
        var path = Path.Combine(_keys, name);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    /// <summary>The service on real Kestrel, so another process-like client (the resource server) can reach it.</summary>
    private UserServicesApp StartService(string algorithm, string keyPath, params string[] olderKeyPaths)
    {
        var settings = UserServicesApp.Defaults(fixture.DatabaseUrl);
        settings["JWT_ALGORITHM"] = algorithm;
        settings["JWT_SIGNING_KEY_PATH"] = keyPath;
        for (var i = 0; i < olderKeyPaths.Length; i++)
        {
            settings[$"Jwt:VerificationKeyPaths:{i}"] = olderKeyPaths[i];
        }

        var app = UserServicesApp.Start(settings, onKestrel: true);
        _apps.Add(app);
        return app;
    }

    /// <summary>A separate API that knows nothing but our address: JwtBearer's Authority and an audience.</summary>
    private async Task<Uri> StartResourceServerAsync(Uri authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddJwtBearer(options =>
        {
            options.Authority = authority.ToString().TrimEnd('/');
            options.Audience = "user-services";
            options.RequireHttpsMetadata = false; // loopback test only
        });
        builder.Services.AddAuthorization();
        var resource = builder.Build();
        resource.MapGet("/orders", (HttpContext context) => $"orders of {context.User.FindFirst("preferred_username")?.Value}").RequireAuthorization();
        await resource.StartAsync();
        _apps.Add(resource);
        return new Uri(resource.Urls.Single());
    }

    private static async Task<string> SignInAsync(UserServicesApp service, string username) =>
        (await service.RegisterAndSignInAsync(username, Password)).AccessToken;

    private static async Task<HttpStatusCode> CallAsync(Uri url, string path, string token)
    {
        using var client = new HttpClient { BaseAddress = url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync(path)).StatusCode;
    }

    [Fact]
    public async Task Rs256_tokens_carry_a_kid_that_jwks_publishes_without_private_parts()
    {
        using var rsa = RSA.Create(2048);
        var service = StartService("RS256", WritePem("rs.pem", rsa));
        var token = new JsonWebToken(await SignInAsync(service, "rsa-user"));

        token.Alg.ShouldBe("RS256");
        token.Kid.ShouldNotBeNullOrEmpty();
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys");
        jwks.GetArrayLength().ShouldBe(1);
        var key = jwks[0];
        key.Str("kid").ShouldBe(token.Kid);
        key.Str("kty").ShouldBe("RSA");
        key.Str("use").ShouldBe("sig");
        key.Str("alg").ShouldBe("RS256");
        foreach (var privatePart in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            key.TryGetProperty(privatePart, out _).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Discovery_names_issuer_endpoints_grants_and_algorithm()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var service = StartService("ES256", WritePem("es.pem", ec));
        using var client = new HttpClient { BaseAddress = service.BaseAddress };

        var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        discovery.Str("issuer").ShouldBe("user-services");
        discovery.Str("token_endpoint").ShouldBe(new Uri(service.BaseAddress, "/user/token").ToString());
        discovery.Str("jwks_uri").ShouldBe(new Uri(service.BaseAddress, "/.well-known/jwks.json").ToString());
        discovery.Str("revocation_endpoint").ShouldBe(new Uri(service.BaseAddress, "/user/revoke").ToString());
        discovery.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["password", "refresh_token", "http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-recovery-code"]);
        // No ID tokens are issued, so the metadata must not advertise how they would be signed.
        discovery.TryGetProperty("id_token_signing_alg_values_supported", out _).ShouldBeFalse();
        new JsonWebToken(await SignInAsync(service, "ec-user")).Alg.ShouldBe("ES256");
    }

    [Fact]
    public async Task A_resource_server_pointed_at_us_accepts_our_tokens_and_rejects_tampered_ones()
    {
        using var rsa = RSA.Create(2048);
        var service = StartService("RS256", WritePem("rs-ext.pem", rsa));
        var resourceUrl = await StartResourceServerAsync(service.BaseAddress);
        var token = await SignInAsync(service, "shopper");

        (await CallAsync(resourceUrl, "/orders", token)).ShouldBe(HttpStatusCode.OK);

        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("shopper", "admin0x", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        (await CallAsync(resourceUrl, "/orders", tampered)).ShouldBe(HttpStatusCode.Unauthorized);
        (await CallAsync(resourceUrl, "/orders", token[..^4])).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Rotating_the_signing_key_keeps_tokens_of_the_previous_key_valid()
    {
        using var oldKey = RSA.Create(2048);
        using var newKey = RSA.Create(2048);
        var oldPath = WritePem("old.pem", oldKey);
        var before = StartService("RS256", oldPath);
        var oldToken = await SignInAsync(before, "rotated");

        var after = StartService("RS256", WritePem("new.pem", newKey), oldPath);
        var newToken = (await after.SignInAsync("rotated", Password)).AccessToken;

        new JsonWebToken(newToken).Kid.ShouldNotBe(new JsonWebToken(oldToken).Kid);
        (await CallAsync(after.BaseAddress, "/user/user", oldToken)).ShouldBe(HttpStatusCode.OK);
        (await CallAsync(after.BaseAddress, "/user/user", newToken)).ShouldBe(HttpStatusCode.OK);
        using var client = new HttpClient { BaseAddress = after.BaseAddress };
        var kids = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys")
            .EnumerateArray().Select(k => k.Str("kid")).ToList();
        kids.ShouldBe([new JsonWebToken(newToken).Kid, new JsonWebToken(oldToken).Kid]);

        // A key that was never configured is not accepted just because the token names it.
        using var stranger = RSA.Create(2048);
        var forged = AccessTokens.Mint(
            AccessTokens.ClaimsOf(newToken, "sub", "sst"),
            new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = new JsonWebToken(oldToken).Kid }, SecurityAlgorithms.RsaSha256),
            lifetime: TimeSpan.FromMinutes(5));
        (await CallAsync(after.BaseAddress, "/user/user", forged)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Hs256_token_signed_with_the_published_rsa_key_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var service = StartService("RS256", WritePem("confusion.pem", rsa));
        var genuine = new JsonWebToken(await SignInAsync(service, "confused"));

        // Algorithm confusion: use the public key, as a verifier might hold it, as an HMAC secret.
        var forged = AccessTokens.Mint(
            AccessTokens.ClaimsOf(genuine.EncodedToken, "sub", "sst"),
            new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())) { KeyId = genuine.Kid }, SecurityAlgorithms.HmacSha256),
            lifetime: TimeSpan.FromMinutes(5));

        (await CallAsync(service.BaseAddress, "/user/user", forged)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Hs256_mode_publishes_an_empty_key_set()
    {
        var jwks = JsonDocument.Parse(await fixture.App.CreateClient().GetStringAsync("/.well-known/jwks.json")).RootElement;

        jwks.GetProperty("keys").GetArrayLength().ShouldBe(0);
        jwks.ToString().ShouldNotContain(UserServicesApp.SecretKey);
    }

    [Fact]
    public async Task Missing_key_file_stops_the_service_with_one_clear_line()
    {
        var settings = UserServicesApp.Defaults(fixture.DatabaseUrl);
        settings["JWT_ALGORITHM"] = "RS256";
        settings["JWT_SIGNING_KEY_PATH"] = Path.Combine(_keys, "missing.pem");

        var run = await ApiProcess.RunAsync(settings);

        run.ExitCode.ShouldBe(1);
        run.StandardError.Trim().ShouldStartWith("Configuration error: Jwt key: cannot read a RS256 key from ");
        run.StandardError.ShouldContain("missing.pem");
        run.StandardError.Trim().Split('\n').Length.ShouldBe(1);
        run.StandardOutput.ShouldNotContain(" at ");
    }
}
