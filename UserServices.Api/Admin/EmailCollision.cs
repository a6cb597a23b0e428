using System.Text.Json.Serialization;

namespace UserServices.Api.Admin;

/// <summary>
/// Two accounts whose addresses the email-key upgrade found to be one mailbox (e.g. a fullwidth or soft-hyphened
/// spelling of the other's domain). Both were kept; <c>user</c> is the one that kept its old key.
/// </summary>
public sealed record EmailCollision(
    [property: JsonPropertyName("user_id")] int UserId,
    [property: JsonPropertyName("username")] string? UserName,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("collides_with_user_id")] int CollidesWithUserId,
    [property: JsonPropertyName("collides_with_username")] string? CollidesWithUserName,
    [property: JsonPropertyName("collides_with_email")] string? CollidesWithEmail);
