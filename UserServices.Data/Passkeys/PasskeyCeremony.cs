namespace UserServices.Data.Passkeys;

/// <summary>
/// A passkey ceremony begun and not yet finished: the state Identity's passkey handler needs to check the browser's
/// answer (the challenge, and for a registration the user entity), kept here rather than in a cookie so that any
/// replica can finish a ceremony another began. The row is taken by one <c>DELETE … RETURNING</c>: the completion
/// that deletes it is the one use.
/// </summary>
public class PasskeyCeremony
{
    public const int MaxPurposeLength = 16;

    /// <summary>The SHA-256 (base64url) of the <c>ceremony_id</c> handed to the client, which is never stored.</summary>
    public required string IdHash { get; set; }

    /// <summary><c>register</c> or <c>login</c>: a ceremony of one kind cannot finish the other.</summary>
    public required string Purpose { get; set; }

    /// <summary>For a registration, the account the passkey is for; null for a sign-in (the passkey names its account).</summary>
    public int? UserId { get; set; }

    /// <summary>Identity's attestation or assertion state (JSON: the challenge and, for a registration, the user entity).</summary>
    public required string State { get; set; }

    /// <summary>UTC; after it the ceremony is refused and the hourly cleanup may delete the row.</summary>
    public DateTime ExpiresAt { get; set; }
}
