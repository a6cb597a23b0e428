using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using System.Text;
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

    /// <summary>
    /// A bare address (no display name, no surrounding text) with a dotted domain that UTS #46 maps, and a local part
    /// without control or default-ignorable characters (invisible ones such as a soft hyphen or a zero-width space,
    /// which would make a second spelling of one mailbox; in the domain, the mapping drops them).
    /// </summary>
    private static bool IsPlainAddress(string email) =>
        MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.DisplayName.Length == 0
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !email.Any(char.IsControl)
        && !address.User.EnumerateRunes().Any(IsDefaultIgnorable)
        && UserLookupNormalizer.MappedDomain(address.Host) is not null;

    /// <summary>Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt), which .NET does not expose.</summary>
    private static bool IsDefaultIgnorable(Rune rune) => rune.Value switch
    {
        0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFEFF or 0xFFA0 => true,
        >= 0x180B and <= 0x180F => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0xFFF0 and <= 0xFFF8 => true,
        >= 0x1BCA0 and <= 0x1BCA3 => true,
        >= 0x1D173 and <= 0x1D17A => true,
        >= 0xE0000 and <= 0xE0FFF => true,
        _ => false,
    };
}
