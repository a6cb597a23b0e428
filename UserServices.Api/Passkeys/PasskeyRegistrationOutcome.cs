namespace UserServices.Api.Passkeys;

/// <summary>How a step of a passkey registration ended.</summary>
public abstract record PasskeyRegistrationOutcome
{
    /// <summary>Options made: the ceremony is waiting for the browser's answer.</summary>
    public sealed record Begun(PasskeyCeremonyResponse Ceremony) : PasskeyRegistrationOutcome;

    public sealed record Added(PasskeyCreated Passkey) : PasskeyRegistrationOutcome;

    /// <summary>The token's sign-in is older than <see cref="PasskeyRegistration.RecentSignIn"/>: nothing was begun.</summary>
    public sealed record SignInAgain : PasskeyRegistrationOutcome;

    /// <summary>Field name → what is wrong with it; nothing was written.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : PasskeyRegistrationOutcome;

    /// <summary>The token's account no longer exists.</summary>
    public sealed record AccountGone : PasskeyRegistrationOutcome;
}
