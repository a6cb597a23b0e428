namespace UserServices.Api.Passwords;

/// <summary>The outcome of verifying a password (see <see cref="PasswordWork"/>).</summary>
public enum PasswordVerdict
{
    /// <summary>The password threads are saturated; nothing was verified.</summary>
    Busy,
    Matches,
    DoesNotMatch,
}
