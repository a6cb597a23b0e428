using System.Text.Json.Serialization;

namespace UserServices.Api.Users;

public sealed record RegisterRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("password")] string? Password);
