namespace UserServices.Api.Users;

/// <summary>
/// How a change a user makes to their own account ended (a new password, a reset, an email confirmed or changed,
/// the account closed). Each endpoint maps it with <see cref="AccountOutcomeResults.ToResult"/>.
/// </summary>
public abstract record AccountOutcome
{
    public static readonly AccountOutcome Completed = new Done();

    public sealed record Done : AccountOutcome;

    /// <summary>Field name → what is wrong with it; nothing was changed.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : AccountOutcome
    {
        public Invalid(string field, string message)
            : this(new Dictionary<string, string[]> { [field] = [message] })
        {
        }
    }

    /// <summary>The bearer's account was deleted since its token was issued.</summary>
    public sealed record Gone : AccountOutcome;

    /// <summary>The password threads are saturated; nothing was checked or written.</summary>
    public sealed record Busy : AccountOutcome;

    public sealed record Conflict(string Detail) : AccountOutcome;

    /// <summary>The mailed token is unknown, used, replaced, expired, or no longer matches the account.</summary>
    public sealed record InvalidToken : AccountOutcome;

    /// <summary>The operation sends mail, and mail is not configured.</summary>
    public sealed record MailOff : AccountOutcome;

    /// <summary>The per-address mail limit refused it.</summary>
    public sealed record Throttled(TimeSpan RetryAfter) : AccountOutcome;
}
