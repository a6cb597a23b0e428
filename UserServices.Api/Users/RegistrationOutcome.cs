using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>How a registration ended: created, refused field by field, or a username or email already taken.</summary>
public abstract record RegistrationOutcome
{
    public sealed record Created(User User) : RegistrationOutcome;

    /// <summary>Field name → what is wrong with it; every failing field at once.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : RegistrationOutcome;

    public sealed record Taken(string Detail) : RegistrationOutcome;
}
