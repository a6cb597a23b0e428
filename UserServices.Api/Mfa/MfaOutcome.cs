using UserServices.Api.Sessions;
using UserServices.Data.Users;

namespace UserServices.Api.Mfa;

/// <summary>What a sign-in's second factor came to, for the token endpoint to answer.</summary>
public abstract record MfaOutcome
{
    /// <summary>Both factors shown: the session has started. <paramref name="RecoveryCodesLeft"/> only after a recovery code.</summary>
    public sealed record SignedIn(User User, IssuedRefreshToken Session, int? RecoveryCodesLeft) : MfaOutcome;

    /// <summary>The password was right and no code came with it: 403 <c>mfa_required</c> with this token.</summary>
    public sealed record Required(string MfaToken) : MfaOutcome;

    /// <summary>400 <c>invalid_grant</c> saying the code (never the password) was wrong; it was counted.</summary>
    public sealed record WrongCode(string Detail) : MfaOutcome;

    /// <summary>400 <c>invalid_grant</c>: the <c>mfa_token</c> is unknown, expired, spent, dead or another client's.</summary>
    public sealed record InvalidToken(string Detail) : MfaOutcome;

    /// <summary>400 <c>invalid_request</c>: a field is missing or too long.</summary>
    public sealed record InvalidRequest(string Detail) : MfaOutcome;

    /// <summary>The account is locked: answered exactly as a password grant of a locked account.</summary>
    public sealed record LockedOut : MfaOutcome;

    /// <summary>No key opens the account's authenticator secret: 503.</summary>
    public sealed record NotConfigured : MfaOutcome;
}
