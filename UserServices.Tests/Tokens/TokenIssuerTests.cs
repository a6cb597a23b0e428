using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UserServices.Api.Sessions;
using UserServices.Api.Tokens;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Tokens;

public sealed class TokenIssuerTests
{
    private const string Secret = "issuer-test-secret-with-ümlauts-0123456789";
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private static readonly User Alice = new()
    {
        Id = 42,
        UserName = "alice",
        Email = "alice@example.com",
        SecurityStamp = "STAMP-1",
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly Guid Session = Guid.Parse("5b0b6a55-9c1e-4c43-9a43-0d6f1f1a2b3c");

    private static IssuedToken Issue(User user, params string[] roles)
    {
        var options = Options.Create(new JwtOptions { SecretKey = Secret });
        return new TokenIssuer(new SigningKeys(options), options, new FixedTime(Now)).Issue(user, roles, Session);
    }

    [Fact]
    public void Header_declares_an_HS256_access_token()
    {
        var header = JwtParts.Header(Issue(Alice, "user").AccessToken);

        header.PropertyNames().Order().ShouldBe(["alg", "kid", "typ"]);
        header.Str("alg").ShouldBe("HS256");
        header.Str("typ").ShouldBe("at+jwt");
    }

    [Fact]
    public void Payload_carries_exactly_the_contract_claims()
    {
        var payload = JwtParts.Payload(Issue(Alice, "user").AccessToken);

        payload.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(
            ["amr", "aud", "auth_time", "client_id", "email", "exp", "iat", "iss", "jti", "nbf", "preferred_username", "role", "sid", "sst", "sub"]);
        payload.Str("sub").ShouldBe("42");
        payload.Str("preferred_username").ShouldBe("alice");
        payload.Str("email").ShouldBe("alice@example.com");
        payload.GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["user"]);
        payload.Str("iss").ShouldBe("user-services");
        payload.Str("aud").ShouldBe("user-services");
        payload.Str("sid").ShouldBe(Session.ToString("N"));
        payload.Str("sst").ShouldBe(SessionBinding.DigestOf("STAMP-1"));
        payload.Str("sst").ShouldNotContain("STAMP-1");
        Guid.TryParseExact(payload.Str("jti"), "N", out _).ShouldBeTrue();
    }

    [Fact]
    public void Token_lives_1800_seconds_from_issue()
    {
        var issued = Issue(Alice, "user");
        var payload = JwtParts.Payload(issued.AccessToken);

        payload.GetProperty("iat").GetInt64().ShouldBe(Now.ToUnixTimeSeconds());
        payload.GetProperty("nbf").GetInt64().ShouldBe(Now.ToUnixTimeSeconds());
        payload.GetProperty("exp").GetInt64().ShouldBe(Now.ToUnixTimeSeconds() + 1800);
        issued.ExpiresInSeconds.ShouldBe(1800);
    }

    [Fact]
    public void Every_token_has_its_own_jti()
    {
        JwtParts.Payload(Issue(Alice, "user").AccessToken).Str("jti")
            .ShouldNotBe(JwtParts.Payload(Issue(Alice, "user").AccessToken).Str("jti"));
    }

    [Fact]
    public void Admin_role_is_carried()
    {
        var payload = JwtParts.Payload(Issue(Alice, "admin").AccessToken);

        payload.GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin"]);
    }

    [Fact]
    public void Signature_is_HMAC_SHA256_over_header_and_payload_keyed_with_the_secrets_utf8_bytes()
    {
        // What python-jose does with SECRET_KEY: jwt.decode(token, SECRET_KEY, algorithms=["HS256"]).
        var parts = Issue(Alice, "user").AccessToken.Split('.');
        parts.Length.ShouldBe(3);

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));

        Base64Url.DecodeFromChars(parts[2]).ShouldBe(expected);
        Base64Url.DecodeFromChars(parts[2]).ShouldNotBe(
            HMACSHA256.HashData(Encoding.Latin1.GetBytes(Secret), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}")));
    }
}
