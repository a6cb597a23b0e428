using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;

namespace UserServices.Api.Passkeys;

/// <summary>
/// One passkey as its person (or an admin) sees it: <c>id</c> is the credential id (base64url, as the browser's
/// <c>PublicKeyCredential.id</c> has it), <c>backed_up</c> whether the authenticator says it is synced (WebAuthn's BS
/// flag at the latest use). Times are UTC; <c>last_used_at</c> is null until its first sign-in.
/// </summary>
public sealed record PasskeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTime? LastUsedAt,
    [property: JsonPropertyName("backed_up")] bool BackedUp)
{
    public static PasskeyView Of(IdentityUserPasskey<int> passkey, DateTime? lastUsedAt) => new(
        PasskeyIds.Encode(passkey.CredentialId),
        passkey.Data.Name ?? "",
        Utc(passkey.Data.CreatedAt.UtcDateTime),
        lastUsedAt is { } used ? Utc(used) : null,
        passkey.Data.IsBackedUp);

    // SQLite hands times back without a kind; they were written in UTC.
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
