using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>One audit event. <c>actor</c> names who acted: the admin's username, or <c>cli</c> for an operator command.</summary>
public sealed record AuditEntry(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] DateTime At,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("user_id")] int? UserId,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("actor_id")] int? ActorId,
    [property: JsonPropertyName("actor")] string? Actor,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("detail")] string? Detail);
