using System.Text.Json.Serialization;

namespace UserServices.Api.Tokens;

/// <summary>
/// RFC 6749 §5.1, as the original answered it, plus the refresh token (absent for client credentials, §4.4.3) and,
/// when scopes were granted, the scope.
/// </summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken)
{
    /// <summary>The granted scopes; absent when none were granted (always, while no clients are registered).</summary>
    [JsonPropertyName("scope")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Scope { get; init; }

    /// <summary>After <c>mfa-recovery-code</c>: how many unspent recovery codes the account has left.</summary>
    [JsonPropertyName("recovery_codes_left")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RecoveryCodesLeft { get; init; }
}
