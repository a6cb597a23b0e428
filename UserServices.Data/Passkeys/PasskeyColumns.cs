namespace UserServices.Data.Passkeys;

/// <summary>The columns the <c>Passkeys</c> table has beyond Identity's own, as shadow properties.</summary>
public static class PasskeyColumns
{
    /// <summary>UTC, the latest sign-in with the passkey; null until its first.</summary>
    public const string LastUsedAt = "LastUsedAt";

    /// <summary>
    /// The authenticator's signature counter as of the latest sign-in, in a column of its own so that one conditional
    /// UPDATE can accept only a counter that went up (WebAuthn §6.1.1), whichever replica signs in at the same time.
    /// Identity keeps a copy inside its JSON data, which it compares but cannot update atomically.
    /// </summary>
    public const string SignCount = "SignCount";
}
