using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LoadGen;

/// <summary>
/// Two registered backend clients for the client-credentials phases: one with a secret (client_secret_basic), one
/// with an ES256 key (private_key_jwt, a newly signed assertion per request, as a client must send). The secret
/// client also introspects users' access tokens.
/// </summary>
internal sealed class MachineClients : IDisposable
{
    public const string SecretName = "POST /user/token (client_credentials, client_secret_basic)";
    public const string KeyName = "POST /user/token (client_credentials, private_key_jwt)";
    public const string IntrospectName = "POST /user/introspect (access token, client_secret_basic)";

    private const string SecretClient = "bench-secret";
    private const string KeyClient = "bench-key";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private readonly SigningCredentials _signing;

    public MachineClients() => _signing = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256);

    /// <summary>The service's settings for both clients; the key client's public key is written to <paramref name="publicKeyPath"/>.</summary>
    public IReadOnlyDictionary<string, string> Settings(string publicKeyPath)
    {
        File.WriteAllText(publicKeyPath, _key.ExportSubjectPublicKeyInfoPem());
        return new Dictionary<string, string>
        {
            ["Clients__0__ClientId"] = SecretClient,
            ["Clients__0__ClientSecret"] = _secret,
            ["Clients__0__AllowedGrants__0"] = "client_credentials",
            ["Clients__1__ClientId"] = KeyClient,
            ["Clients__1__PublicKeyPath"] = publicKeyPath,
            ["Clients__1__AllowedGrants__0"] = "client_credentials",
            ["RateLimits__ClientCredentialsPerClientPerMinute"] = "100000000",
        };
    }

    public LoadSpec Secret(int connections) => new(SecretName, connections, HttpStatusCode.OK, _ =>
    {
        var request = Token([]);
        request.Headers.Authorization = SecretBasic();
        return request;
    });

    /// <summary>
    /// RFC 7662 introspection of users' access tokens (<paramref name="accessTokens"/> in turn) by the secret client:
    /// any registered confidential client may introspect. Only <c>"active": true</c> counts as a success.
    /// </summary>
    public LoadSpec Introspection(int connections, IReadOnlyList<string> accessTokens) => new(IntrospectName, connections, HttpStatusCode.OK, n =>
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/user/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", accessTokens[(int)(n % accessTokens.Count)])]),
        };
        request.Headers.Authorization = SecretBasic();
        return request;
    })
    {
        CheckBody = body =>
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.True ? null : $"not active: {body}";
        },
    };

    private AuthenticationHeaderValue SecretBasic() => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SecretClient}:{_secret}")));

    /// <summary>Each request signs its own assertion (a new jti): the service records every one.</summary>
    public LoadSpec PrivateKeyJwt(int connections) => new(KeyName, connections, HttpStatusCode.OK, _ => Token(
    [
        new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        new("client_assertion", Assertion()),
    ]));

    private string Assertion()
    {
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = KeyClient,
            // The service's issuer (Jwt:Issuer's default), which RFC 7523 allows as the audience.
            Audience = "user-services",
            Expires = now.AddMinutes(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = KeyClient,
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["iat"] = EpochTime.GetIntDate(now),
            },
            SigningCredentials = _signing,
        });
    }

    private static HttpRequestMessage Token(KeyValuePair<string, string>[] fields) => new(HttpMethod.Post, "/user/token")
    {
        Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), .. fields]),
    };

    public void Dispose() => _key.Dispose();
}
