using UserServices.Api.Sessions;
using UserServices.Data.Users;

namespace UserServices.Api.Passkeys;

/// <summary>How a passkey sign-in at the token endpoint ended.</summary>
public abstract record PasskeySignInOutcome
{
    /// <summary>A new session with its first refresh token; the caller mints the access token.</summary>
    public sealed record SignedIn(User User, IssuedRefreshToken Session) : PasskeySignInOutcome;

    /// <summary><c>400 invalid_request</c>: a field is missing or malformed.</summary>
    public sealed record Invalid(string Detail) : PasskeySignInOutcome;

    /// <summary>
    /// <c>400 invalid_grant</c>, one answer for every reason (ceremony, passkey, account), as a wrong password gets one.
    /// </summary>
    public sealed record Refused : PasskeySignInOutcome;

    /// <summary>The passkey is right but <c>Accounts:RequireConfirmedEmail</c> holds the account back.</summary>
    public sealed record EmailNotConfirmed : PasskeySignInOutcome;

    /// <summary>Passkeys are off (no relying-party id): the grant is not supported here.</summary>
    public sealed record Disabled : PasskeySignInOutcome;
}
