using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// Client assertions (RFC 7523 §2.2) as a <c>private_key_jwt</c> client signs them, with each part changeable so a
/// test can break one: keys generated per run, their JWKS or PEM for the service's <c>Clients</c> settings.
/// </summary>
public static class ClientAssertions
{
    public const string Type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Signed with <paramref name="key"/> (RS256 for RSA, ES256 for EC): iss = sub = the client, a fresh jti, exp in a minute.</summary>
    public static string Sign(
        AsymmetricAlgorithm key,
        string clientId,
        string audience,
        string? subject = null,
        DateTime? expires = null,
        string? jti = "",
        string? algorithm = null,
        IDictionary<string, object>? header = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject ?? clientId,
            ["iat"] = EpochTime.GetIntDate(now),
        };
        if (jti is not null)
        {
            claims["jti"] = jti.Length == 0 ? Guid.NewGuid().ToString("N") : jti;
        }

        SecurityKey securityKey = key switch
        {
            RSA rsa => new RsaSecurityKey(rsa),
            ECDsa ecdsa => new ECDsaSecurityKey(ecdsa),
            _ => throw new ArgumentException("RSA or ECDsa only.", nameof(key)),
        };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Expires = expires ?? now.AddMinutes(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(securityKey, algorithm ?? (key is RSA ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256)),
            AdditionalHeaderClaims = header,
        });
    }

    /// <summary>An unsigned JWT (<c>alg: none</c>) with the right claims: what a forger without the key would send.</summary>
    public static string WithAlgNone(string clientId, string audience)
    {
        static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
        var exp = EpochTime.GetIntDate(DateTime.UtcNow.AddMinutes(1));
        return $"{Part(new { alg = "none", typ = "JWT" })}.{Part(new { iss = clientId, sub = clientId, aud = audience, exp, jti = Guid.NewGuid().ToString("N") })}.";
    }

    /// <summary>The public half as a JWKS document (what <c>Clients:N:JwksPath</c> names).</summary>
    public static string Jwks(RSA rsa)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
    }

    /// <summary>The public half as PEM (what <c>Clients:N:PublicKeyPath</c> names).</summary>
    public static string PublicPem(AsymmetricAlgorithm key) => key.ExportSubjectPublicKeyInfoPem();

    public static FormUrlEncodedContent Form(string assertion, params (string Key, string Value)[] fields) =>
        new(fields.Append(("client_assertion_type", Type)).Append(("client_assertion", assertion))
            .Select(f => KeyValuePair.Create(f.Item1, f.Item2)));

    /// <summary>An HS256 token "signed" with the public key's PEM as the secret: the classic algorithm-confusion forgery.</summary>
    public static string SignedWithPublicKeyAsSecret(AsymmetricAlgorithm key, string clientId, string audience) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(1),
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PublicPem(key))), SecurityAlgorithms.HmacSha256),
        });
}
