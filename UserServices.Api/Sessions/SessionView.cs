using System.Text.Json.Serialization;
using UserServices.Data.Sessions;

namespace UserServices.Api.Sessions;

/// <summary>
/// One live session as its person (or an admin) sees it. <c>last_used_at</c>, <c>ip</c> and <c>user_agent</c> are
/// those of its latest use (the login or the latest refresh); <c>expires_at</c> is the earlier of its idle and absolute
/// expiry. Times are UTC. <c>amr</c> is how the sign-in authenticated (RFC 8176: <c>["pwd"]</c> for a password,
/// <c>["pwd","otp","mfa"]</c> with a one-time code, <c>["pwd","mfa"]</c> with a recovery code). <c>current</c> only
/// in the person's own list.
/// </summary>
public sealed record SessionView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTime LastUsedAt,
    [property: JsonPropertyName("expires_at")] DateTime ExpiresAt,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("amr")] IReadOnlyList<string> Amr,
    [property: JsonPropertyName("current"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Current)
{
    public static SessionView Of(Session session, bool? current) => new(
        session.Id.ToString("N"),
        Utc(session.CreatedAt),
        Utc(session.LastUsedAt),
        Utc(session.ExpiresAt),
        session.ClientId,
        session.LastIp,
        session.LastUserAgent,
        session.AuthMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        current);

    // SQLite hands times back without a kind; they were written in UTC.
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
