using Microsoft.Extensions.Options;
using UserServices.Api.Passwords;
using UserServices.Api.Users;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

/// <summary>
/// The admin account ADMIN_USERNAME, ADMIN_EMAIL and ADMIN_PASSWORD ask for, judged at start as registration would
/// judge it: a mistake stops the service or <c>migrate</c> with one line each, before EF Core takes its migration lock
/// — never halfway through a migrate.
/// </summary>
internal sealed class AdminAccountOptionsValidator(PasswordPolicy policy) : IValidateOptions<AdminAccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminAccountOptions options)
    {
        if (!options.ToAccount().IsRequested)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.UserName) || string.IsNullOrWhiteSpace(options.Email) || string.IsNullOrEmpty(options.Password))
        {
            return ValidateOptionsResult.Fail(
                "Admin seeding needs all three of ADMIN_USERNAME, ADMIN_EMAIL and ADMIN_PASSWORD; set the missing ones or unset all three.");
        }

        var problems = Problems(new User { UserName = options.UserName, Email = options.Email }, options.Password);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Each setting's problem, in words naming it; also the seeder's last check (`dotnet ef database update`).</summary>
    public IReadOnlyList<string> Problems(User admin, string password)
    {
        var problems = new List<string>();
        if (UserNameRule.Problem(admin.UserName) is { } userName)
        {
            problems.Add($"ADMIN_USERNAME: {userName}");
        }

        if (!AccountFieldsValidator.IsAcceptableEmail(admin.Email ?? ""))
        {
            problems.Add($"ADMIN_EMAIL: '{admin.Email}' is not a valid address.");
        }

        var passwordProblems = policy.Problems(admin, password);
        if (passwordProblems.Count > 0)
        {
            problems.Add($"ADMIN_PASSWORD is refused by the password policy: {string.Join(" ", passwordProblems)}");
        }

        return problems;
    }
}
