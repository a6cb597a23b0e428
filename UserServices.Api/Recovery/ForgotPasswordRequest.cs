using System.Text.Json.Serialization;

namespace UserServices.Api.Recovery;

public sealed record ForgotPasswordRequest([property: JsonPropertyName("email")] string? Email);
