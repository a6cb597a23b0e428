using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>One page of events, newest first; pass <c>next_cursor</c> as <c>cursor</c> for older ones, null at the end.</summary>
public sealed record AuditPage(
    [property: JsonPropertyName("events")] IReadOnlyList<AuditEntry> Events,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);
