using System.Text.Json.Serialization;

namespace UserServices.Api.Users;

/// <summary>The profile body of the original service: exactly these three keys.</summary>
public sealed record UserProfile(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("id")] int Id);
