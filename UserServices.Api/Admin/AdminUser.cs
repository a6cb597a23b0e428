using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>An account as an operator sees it. <c>active_sessions</c> only on the single-user read.</summary>
public sealed record AdminUser(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("created_at")] DateTime? CreatedAt,
    [property: JsonPropertyName("last_login_at")] DateTime? LastLoginAt,
    [property: JsonPropertyName("locked_until")] DateTimeOffset? LockedUntil,
    [property: JsonPropertyName("failed_login_count")] int FailedLoginCount,
    [property: JsonPropertyName("mfa")] bool Mfa)
{
    /// <summary>Sign-in sessions (refresh-token families) that can still refresh.</summary>
    [JsonPropertyName("active_sessions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ActiveSessions { get; init; }
}
