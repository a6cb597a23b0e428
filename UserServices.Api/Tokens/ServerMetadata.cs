using Microsoft.Extensions.Options;
using UserServices.Api.Clients;
using UserServices.Api.Passkeys;

namespace UserServices.Api.Tokens;

/// <summary>
/// Builds the one discovery document both well-known addresses serve, from what is configured: the issuer, the
/// algorithm, and the registered clients (which decide the authentication methods, grants and scopes). Its addresses
/// are also what a client assertion's <c>aud</c> may name.
/// </summary>
public sealed class ServerMetadata(IOptions<JwtOptions> jwt, IOptions<ClientOptions> clients, IOptions<PasskeyOptions> passkeys) : IAssertionAudiences
{
    public const string TokenPath = "/user/token";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string RevocationPath = "/user/revoke";
    public const string IntrospectionPath = "/user/introspect";

    /// <summary>
    /// The service's public address without a trailing slash. Behind a proxy it comes from Jwt:PublicBaseUrl; without
    /// that, from the request (whose Host header is the client's to choose).
    /// </summary>
    public string RootOf(HttpRequest request) =>
        jwt.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>
    /// RFC 7523 §3 point 3: the issuer or the token endpoint URL (the one discovery advertises), on every endpoint
    /// that authenticates clients, as OIDC Core §9 asks. REVIEW: without Jwt:PublicBaseUrl that URL follows the Host
    /// header, so an assertion made for another server of that name would pass; production sets PUBLIC_BASE_URL.
    /// </summary>
    public IReadOnlyCollection<string> AcceptedBy(HttpRequest request) => [jwt.Value.Issuer, RootOf(request) + TokenPath];

    public DiscoveryDocument For(string root)
    {
        var registered = clients.Value.Registered;
        var anyConfidential = registered.Any(c => c.IsConfidential);
        // Without registered clients every request is taken as a public client's; with them, the methods are
        // those some registered client can actually use.
        var methods = registered.Count == 0
            ? ["none"]
            : (string[])[.. registered.Any(c => !c.IsConfidential) ? ["none"] : Array.Empty<string>(),
                .. registered.Any(c => c.IsConfidential && !c.UsesKey) ? SecretMethods : [],
                .. registered.Any(c => c.UsesKey) ? [KeyMethod] : Array.Empty<string>()];
        var confidentialMethods = methods.Where(m => m != "none").ToArray();
        var signingAlgorithms = registered.Any(c => c.UsesKey) ? ClientKeys.Algorithms : null;
        var grants = (registered.Count == 0 ? GrantTypes.Default : GrantTypes.All.Where(g => registered.Any(c => c.Grants.Contains(g))))
            .Where(g => g != GrantTypes.Passkey || passkeys.Value.Enabled).ToArray();
        var scopes = registered.SelectMany(c => c.AllowedScopes).Distinct(StringComparer.Ordinal).ToArray();
        return new DiscoveryDocument
        {
            Issuer = jwt.Value.Issuer,
            TokenEndpoint = root + TokenPath,
            JwksUri = root + JwksPath,
            ScopesSupported = scopes.Length == 0 ? null : scopes,
            GrantTypesSupported = grants,
            TokenEndpointAuthMethodsSupported = methods,
            TokenEndpointAuthSigningAlgValuesSupported = signingAlgorithms,
            RevocationEndpoint = root + RevocationPath,
            RevocationEndpointAuthMethodsSupported = methods,
            RevocationEndpointAuthSigningAlgValuesSupported = signingAlgorithms,
            IntrospectionEndpoint = anyConfidential ? root + IntrospectionPath : null,
            IntrospectionEndpointAuthMethodsSupported = anyConfidential ? confidentialMethods : null,
            IntrospectionEndpointAuthSigningAlgValuesSupported = anyConfidential ? signingAlgorithms : null,
        };
    }

    private const string KeyMethod = "private_key_jwt";

    private static readonly string[] SecretMethods = ["client_secret_basic", "client_secret_post"];
}
