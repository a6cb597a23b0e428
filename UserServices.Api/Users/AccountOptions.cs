namespace UserServices.Api.Users;

/// <summary>Rules about accounts that are not Identity's own.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>
    /// When true, a correct password on an account whose email is not confirmed answers 403
    /// <c>email_not_confirmed</c> instead of tokens. Off by default, so the original's clients keep working.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; }
}
