using UserServices.Data.Users;

namespace UserServices.Api.Tokens;

/// <summary>What a username and password came to.</summary>
public abstract record CredentialOutcome
{
    public sealed record Verified(User User) : CredentialOutcome;

    /// <summary>Unknown user, wrong password, locked account, no usable hash: deliberately one answer.</summary>
    /// <param name="LockedOut">The account was locked before this attempt; only for the metrics, never for the answer.</param>
    public sealed record Refused(bool LockedOut = false) : CredentialOutcome;

    /// <summary>The password threads are saturated; nothing was checked.</summary>
    public sealed record Busy : CredentialOutcome;
}
