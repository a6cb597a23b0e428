using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>
/// What Identity's own user validator leaves out: the username rule (<see cref="UserNameRule"/>), length limits
/// matching the columns, and an email check stricter than its "contains one @".
/// </summary>
public sealed class AccountFieldsValidator : IUserValidator<User>
{
    public const int MaxUserNameLength = UserNameRule.MaxLength;
    public const int MaxEmailLength = 256;

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user)
    {
        var errors = new List<IdentityError>();
        if (UserNameRule.Problem(user.UserName) is { } problem)
        {
            errors.Add(new IdentityError { Code = user.UserName is { Length: > MaxUserNameLength } ? "UserNameTooLong" : "InvalidUserName", Description = problem });
        }

        if (user.Email is { Length: > MaxEmailLength })
        {
            errors.Add(new IdentityError { Code = "EmailTooLong", Description = $"Email must be at most {MaxEmailLength} characters." });
        }
        // Identity's own validator already reports what fails its "one @" test; this adds what passes it wrongly.
        else if (!string.IsNullOrEmpty(user.Email) && new EmailAddressAttribute().IsValid(user.Email) && !IsPlainAddress(user.Email))
        {
            errors.Add(new IdentityError { Code = "InvalidEmail", Description = $"Email '{user.Email}' is not a valid address." });
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    /// <summary>Whether registration would accept this email as written (Identity's check and this one's).</summary>
    public static bool IsAcceptableEmail(string email) =>
        email.Length <= MaxEmailLength && new EmailAddressAttribute().IsValid(email) && IsPlainAddress(email);

    /// <summary>A bare address (no display name, no surrounding text) with a dotted domain.</summary>
    private static bool IsPlainAddress(string email) =>
        MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.DisplayName.Length == 0
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !email.Any(char.IsControl);
}
