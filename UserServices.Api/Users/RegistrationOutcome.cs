using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>How a registration ended: created, refused field by field, a username or email already taken, or busy.</summary>
public abstract record RegistrationOutcome
{
    public sealed record Created(User User) : RegistrationOutcome;

    /// <summary>Field name → what is wrong with it; every failing field at once.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : RegistrationOutcome;

    public sealed record Taken(string Detail) : RegistrationOutcome;

    /// <summary>The password threads are saturated; nothing was written.</summary>
    public sealed record Busy : RegistrationOutcome;
}
