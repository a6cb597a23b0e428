using Microsoft.Extensions.Options;
using UserServices.Api.Clients;

namespace UserServices.Api.Tokens;

/// <summary>
/// Builds the one discovery document both well-known addresses serve, from what is configured: the issuer, the
/// algorithm, and the registered clients (which decide the authentication methods, grants and scopes).
/// </summary>
public sealed class ServerMetadata(IOptions<JwtOptions> jwt, IOptions<ClientOptions> clients)
{
    public const string TokenPath = "/user/token";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string RevocationPath = "/user/revoke";
    public const string IntrospectionPath = "/user/introspect";

    /// <param name="root">The service's public address without a trailing slash.</param>
    public DiscoveryDocument For(string root)
    {
        var registered = clients.Value.Registered;
        var anyConfidential = registered.Any(c => c.IsConfidential);
        // Without registered clients every request is taken as a public client's; with them, the methods are
        // those some registered client can actually use.
        var methods = registered.Count == 0
            ? ["none"]
            : (string[])[.. registered.Any(c => !c.IsConfidential) ? ["none"] : Array.Empty<string>(),
                .. anyConfidential ? SecretMethods : []];
        var grants = registered.Count == 0 ? GrantTypes.All : GrantTypes.All.Where(g => registered.Any(c => c.Grants.Contains(g))).ToArray();
        var scopes = registered.SelectMany(c => c.AllowedScopes).Distinct(StringComparer.Ordinal).ToArray();
        return new DiscoveryDocument
        {
            Issuer = jwt.Value.Issuer,
            TokenEndpoint = root + TokenPath,
            JwksUri = root + JwksPath,
            ScopesSupported = scopes.Length == 0 ? null : scopes,
            GrantTypesSupported = grants,
            TokenEndpointAuthMethodsSupported = methods,
            RevocationEndpoint = root + RevocationPath,
            RevocationEndpointAuthMethodsSupported = methods,
            IntrospectionEndpoint = anyConfidential ? root + IntrospectionPath : null,
            IntrospectionEndpointAuthMethodsSupported = anyConfidential ? SecretMethods : null,
        };
    }

    private static readonly string[] SecretMethods = ["client_secret_basic", "client_secret_post"];
}
