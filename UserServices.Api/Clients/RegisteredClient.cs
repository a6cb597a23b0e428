namespace UserServices.Api.Clients;

/// <summary>One entry of the <c>Clients</c> list: an OAuth2 client this service knows by its id.</summary>
public sealed class RegisteredClient
{
    public string ClientId { get; set; } = "";

    /// <summary>Set: a confidential client, which must authenticate with it. Unset (and no key): a public client, identified by its id alone.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// A JWKS file with the client's public key(s): the client authenticates with <c>private_key_jwt</c> (RFC 7523
    /// §2.2) instead of a secret.
    /// </summary>
    public string? JwksPath { get; set; }

    /// <summary>The same as <see cref="JwksPath"/>, as one PEM public key (RSA for RS256, P-256 for ES256).</summary>
    public string? PublicKeyPath { get; set; }

    /// <summary>False: the client is refused (401 <c>invalid_client</c>) and its client-credentials tokens introspect as inactive.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>password</c>, <c>refresh_token</c>, <c>client_credentials</c>; empty means the first two (never client credentials).</summary>
    public List<string> AllowedGrants { get; set; } = [];

    /// <summary>The scopes the client may be granted; a request for others is narrowed to these.</summary>
    public List<string> AllowedScopes { get; set; } = [];

    /// <summary>The <c>aud</c> of the client's client-credentials tokens (the resource servers it calls); empty: <c>Jwt:Audience</c>.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>The lifetime of the client's client-credentials tokens; unset: <c>Jwt:AccessTokenMinutes</c>.</summary>
    public int? AccessTokenMinutes { get; set; }

    /// <summary>Authenticates with a signed JWT (a registered public key) rather than a secret.</summary>
    public bool UsesKey => !string.IsNullOrEmpty(JwksPath) || !string.IsNullOrEmpty(PublicKeyPath);

    /// <summary>A client that can prove who it is: with a secret or with a key.</summary>
    public bool IsConfidential => !string.IsNullOrEmpty(ClientSecret) || UsesKey;

    public IEnumerable<string> Grants => AllowedGrants.Count == 0 ? GrantTypes.Default : AllowedGrants;

    // The secret must never reach a log line through a formatted object.
    public override string ToString() => $"client '{ClientId}' ({(UsesKey ? "private_key_jwt" : IsConfidential ? "confidential" : "public")})";
}
