using System.Text.Json.Serialization;

namespace UserServices.Api.Tokens;

/// <summary>
/// RFC 7662 §2.2: <c>active</c>, and for a live token what it says. An inactive token gets <c>active: false</c> and
/// nothing else, so the answer tells nothing about why.
/// </summary>
public sealed record IntrospectionResponse
{
    public static IntrospectionResponse Inactive { get; } = new() { Active = false };

    [JsonPropertyName("active")]
    public required bool Active { get; init; }

    /// <summary><c>bearer</c> for an access token, <c>refresh_token</c> for a refresh token (which is no bearer credential).</summary>
    [JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TokenType { get; init; }

    [JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Scope { get; init; }

    [JsonPropertyName("client_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserName { get; init; }

    [JsonPropertyName("sub"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; init; }

    [JsonPropertyName("aud"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Audience { get; init; }

    [JsonPropertyName("iss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Issuer { get; init; }

    [JsonPropertyName("exp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ExpiresAt { get; init; }

    [JsonPropertyName("iat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? IssuedAt { get; init; }

    [JsonPropertyName("nbf"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NotBefore { get; init; }

    [JsonPropertyName("jti"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TokenId { get; init; }

    [JsonPropertyName("auth_time"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? AuthTime { get; init; }
}
