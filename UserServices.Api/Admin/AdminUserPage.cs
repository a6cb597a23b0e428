using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>One page of accounts by id; pass <c>next_cursor</c> as <c>cursor</c> for the next, null at the end.</summary>
public sealed record AdminUserPage(
    [property: JsonPropertyName("users")] IReadOnlyList<AdminUser> Users,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);
