using System.Text.Json.Serialization;

namespace UserServices.Api.Tokens;

/// <summary>
/// Authorization server metadata (RFC 8414 §2), served as both <c>oauth-authorization-server</c> and
/// <c>openid-configuration</c>. It lists only what the service does: no authorization endpoint (so no response
/// types), no ID tokens; absent members are left out rather than sent empty.
/// </summary>
public sealed record DiscoveryDocument
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("token_endpoint")]
    public required string TokenEndpoint { get; init; }

    [JsonPropertyName("jwks_uri")]
    public required string JwksUri { get; init; }

    [JsonPropertyName("scopes_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ScopesSupported { get; init; }

    /// <summary>Required by RFC 8414; empty because there is no authorization endpoint for a response type to go to.</summary>
    [JsonPropertyName("response_types_supported")]
    public IReadOnlyList<string> ResponseTypesSupported { get; init; } = [];

    [JsonPropertyName("grant_types_supported")]
    public required IReadOnlyList<string> GrantTypesSupported { get; init; }

    [JsonPropertyName("token_endpoint_auth_methods_supported")]
    public required IReadOnlyList<string> TokenEndpointAuthMethodsSupported { get; init; }

    /// <summary>Only when a client authenticates with <c>private_key_jwt</c>: the algorithms its assertion may use.</summary>
    [JsonPropertyName("token_endpoint_auth_signing_alg_values_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? TokenEndpointAuthSigningAlgValuesSupported { get; init; }

    [JsonPropertyName("revocation_endpoint")]
    public required string RevocationEndpoint { get; init; }

    [JsonPropertyName("revocation_endpoint_auth_methods_supported")]
    public required IReadOnlyList<string> RevocationEndpointAuthMethodsSupported { get; init; }

    [JsonPropertyName("revocation_endpoint_auth_signing_alg_values_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? RevocationEndpointAuthSigningAlgValuesSupported { get; init; }

    /// <summary>Only when a confidential client is registered: nobody else can call it.</summary>
    [JsonPropertyName("introspection_endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IntrospectionEndpoint { get; init; }

    [JsonPropertyName("introspection_endpoint_auth_methods_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? IntrospectionEndpointAuthMethodsSupported { get; init; }

    [JsonPropertyName("introspection_endpoint_auth_signing_alg_values_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? IntrospectionEndpointAuthSigningAlgValuesSupported { get; init; }
}
