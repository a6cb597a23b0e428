using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using UserServices.Data.Users;

namespace UserServices.Api.Recovery;

/// <summary>The checks the recovery endpoints share: an email address's shape, a new password's policy.</summary>
internal static class RecoveryFields
{
    public const int MaxEmailLength = 256;

    private static readonly EmailAddressAttribute EmailShape = new();

    /// <summary>Why <paramref name="email"/> is not an address, or null when it is one.</summary>
    public static string? EmailProblem(string? email, string field) => email switch
    {
        null or "" => $"The '{field}' field is required.",
        { Length: > MaxEmailLength } => $"The '{field}' field must be at most {MaxEmailLength} characters.",
        _ when !EmailShape.IsValid(email) => $"The '{field}' field is not an email address.",
        _ => null,
    };

    /// <summary>Every rule of the password policy <paramref name="password"/> breaks, as Identity words them.</summary>
    public static async Task<string[]> PolicyProblemsAsync(UserManager<User> users, User user, string password)
    {
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
        }

        return problems.Distinct().ToArray();
    }
}
