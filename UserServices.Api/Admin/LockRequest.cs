using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>Lock an account until a time (ISO 8601, in the future), or indefinitely when <c>until</c> is null.</summary>
public sealed record LockRequest(
    [property: JsonPropertyName("until")] DateTimeOffset? Until,
    [property: JsonPropertyName("reason")] string? Reason)
{
    public const int MaxReasonLength = 512;
}
