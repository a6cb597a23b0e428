using UserServices.Data.Users;

namespace UserServices.Data.Mfa;

/// <summary>
/// An account's authenticator app (RFC 6238 TOTP): its shared secret, encrypted, and the last time step a code of it
/// was accepted for. One row an account: pending from enrolment until a first code confirms it, then in force while
/// the account's <c>TwoFactorEnabled</c> is set.
/// </summary>
public class TotpAuthenticator
{
    /// <summary>The secret as the Api's cipher wrote it (key id, nonce, ciphertext and tag); never the secret itself.</summary>
    public const int MaxEncryptedSecretLength = 256;

    public int UserId { get; set; }

    public User? User { get; set; }

    public required string EncryptedSecret { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>UTC, when a first code confirmed the enrolment; null while pending.</summary>
    public DateTime? ConfirmedAt { get; set; }

    /// <summary>
    /// The RFC 6238 time step (Unix time / 30 s) of the last accepted code. A code is accepted only for a later step,
    /// and this moves on by one conditional UPDATE, so no code is ever accepted twice (RFC 6238 §5.2).
    /// </summary>
    public long LastUsedStep { get; set; }
}
