namespace UserServices.Api.Admin;

/// <summary>How an administrative change ended.</summary>
public abstract record AdminOutcome
{
    public sealed record Done(AdminUser? User) : AdminOutcome;

    public sealed record NotFound : AdminOutcome;

    /// <summary>Field name → what is wrong with it; every failing field at once. Nothing was written.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : AdminOutcome;

    /// <summary>Refused by a safety rule or a taken username/email; the detail says which. Nothing was written.</summary>
    public sealed record Conflict(string Detail) : AdminOutcome;

    /// <summary>The password threads are saturated; nothing was written.</summary>
    public sealed record Busy : AdminOutcome;
}
