using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>Every forged, altered or stale token is a 401 <c>invalid_token</c>, never a 5xx.</summary>
public sealed class TokenAttackTests(TokenAttackTests.Fixture fixture) : IClassFixture<TokenAttackTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<TokenAttackTests>(server)
    {
        public string Token { get; private set; } = "";

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            Token = (await App.RegisterAndSignInAsync("victim", Password)).AccessToken;
        }
    }

    private const string Password = "correct horse battery";
    private static readonly string[] CriticalExtension = ["exp-extension"];

    private UserServicesApp App => fixture.App;

    /// <summary>The genuine token's claims, re-signed with whatever one attack changes.</summary>
    private string Forge(Action<SecurityTokenDescriptor>? change = null, SigningCredentials? credentials = null) =>
        AccessTokens.Mint(
            AccessTokens.ClaimsOf(fixture.Token, "sub", "preferred_username", "email", "sst", "sid", "jti"), credentials, change: change);

    private async Task ShouldBeRefusedAsync(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/user/user");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = await App.CreateClient().SendAsync(request);

        await response.ShouldBeInvalidTokenAsync();
    }

    private static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task Control_a_faithfully_reforged_token_is_accepted()
    {
        // Proves the forging helper changes nothing by itself, so each refusal below is due to its one change.
        var response = await App.BearerClient(Forge()).GetAsync("/user/user");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var payload = fixture.Token.Split('.')[1];
        await ShouldBeRefusedAsync($"Bearer {B64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}")}.{payload}.");
    }

    [Fact]
    public async Task Token_carrying_its_own_jwk_and_signed_with_it_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "attacker" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
        var token = Forge(
            d => d.AdditionalHeaderClaims = new Dictionary<string, object>
            {
                ["jwk"] = new Dictionary<string, object> { ["kty"] = "RSA", ["n"] = jwk.N, ["e"] = jwk.E },
                ["jku"] = "http://127.0.0.1:1/keys.json",
            },
            new SigningCredentials(key, SecurityAlgorithms.RsaSha256));

        await ShouldBeRefusedAsync($"Bearer {token}");
    }

    [Fact]
    public async Task Hs256_signed_with_another_key_is_refused() =>
        await ShouldBeRefusedAsync("Bearer " + Forge(credentials: new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-secret-key-that-is-long-enough-!!")), SecurityAlgorithms.HmacSha256)));

    [Fact]
    public async Task Expired_beyond_the_skew_is_refused() =>
        await ShouldBeRefusedAsync("Bearer " + Forge(d =>
        {
            d.IssuedAt = d.NotBefore = DateTime.UtcNow.AddMinutes(-40);
            d.Expires = DateTime.UtcNow.AddSeconds(-45);
        }));

    [Fact]
    public async Task Not_yet_valid_is_refused() =>
        await ShouldBeRefusedAsync("Bearer " + Forge(d => d.NotBefore = DateTime.UtcNow.AddMinutes(5)));

    [Fact]
    public async Task Tampered_payload_with_the_original_signature_is_refused()
    {
        var parts = fixture.Token.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        var tampered = claims.ToDictionary(c => c.Key, c => c.Key == "preferred_username" ? JsonSerializer.SerializeToElement("admin") : c.Value);

        await ShouldBeRefusedAsync($"Bearer {parts[0]}.{B64(JsonSerializer.Serialize(tampered))}.{parts[2]}");
    }

    [Fact]
    public async Task Wrong_issuer_is_refused() => await ShouldBeRefusedAsync("Bearer " + Forge(d => d.Issuer = "someone-else"));

    [Fact]
    public async Task Wrong_audience_is_refused() => await ShouldBeRefusedAsync("Bearer " + Forge(d => d.Audience = "another-api"));

    [Fact]
    public async Task Token_without_exp_is_refused() => await ShouldBeRefusedAsync("Bearer " + Forge(d => d.Expires = null));

    [Fact]
    public async Task Token_of_another_type_is_refused() => await ShouldBeRefusedAsync("Bearer " + Forge(d => d.TokenType = "JWT"));

    [Fact]
    public async Task Token_whose_header_lists_a_critical_extension_is_refused() =>
        // RFC 7515 §4.1.11: a recipient that does not understand a listed extension must refuse the JWS; we understand none.
        await ShouldBeRefusedAsync("Bearer " + Forge(d => d.AdditionalHeaderClaims = new Dictionary<string, object>
        {
            ["crit"] = CriticalExtension,
            ["exp-extension"] = true,
        }));

    [Theory]
    [InlineData("application/at+jwt")]
    [InlineData("AT+JWT")]
    public async Task Token_typed_with_the_full_at_jwt_media_type_is_accepted(string type)
    {
        // RFC 9068 §4: a resource server accepts both spellings (media types compare case-insensitively).
        var response = await App.BearerClient(Forge(d => d.TokenType = type)).GetAsync("/user/user");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Truncated_token_is_refused() => await ShouldBeRefusedAsync("Bearer " + fixture.Token[..^10]);

    [Fact]
    public async Task Authorization_header_of_16_KB_is_refused() => await ShouldBeRefusedAsync("Bearer " + new string('a', 16 * 1024));

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic dmljdGltOmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ==")]
    [InlineData("bearer.not.a.token")]
    public async Task Malformed_authorization_is_refused(string header) => await ShouldBeRefusedAsync(header);

    [Fact]
    public async Task Hs256_signed_with_an_rsa_public_key_is_refused()
    {
        // Algorithm confusion: the attacker signs with bytes a verifier might publish.
        using var rsa = RSA.Create(2048);
        var publicKeyBytes = rsa.ExportSubjectPublicKeyInfo();
        await ShouldBeRefusedAsync("Bearer " + Forge(credentials: new SigningCredentials(new SymmetricSecurityKey(publicKeyBytes), SecurityAlgorithms.HmacSha256)));
    }

    [Fact]
    public async Task Token_stops_working_when_the_password_changes()
    {
        var client = await App.SignedInClientAsync("changer", Password);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = await users.FindByNameAsync("changer");
            (await users.ChangePasswordAsync(user!, Password, "another horse battery")).Succeeded.ShouldBeTrue();
        }

        await (await client.GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Token_stops_working_when_the_account_is_locked()
    {
        var client = await App.SignedInClientAsync("lockme", Password);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = await users.FindByNameAsync("lockme");
            (await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddHours(1))).Succeeded.ShouldBeTrue();
        }

        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Genuine_token_is_at_jwt_hs256()
    {
        var token = new JsonWebToken(fixture.Token);
        token.Typ.ShouldBe("at+jwt");
        token.Alg.ShouldBe("HS256");
    }
}
