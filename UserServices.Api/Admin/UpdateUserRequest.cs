using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>A JSON merge: a field left out (or null) stays as it is; <c>roles</c> is the whole new set.</summary>
public sealed record UpdateUserRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles);
