using Microsoft.AspNetCore.Identity;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>Puts <see cref="PasswordPolicy"/> where Identity looks for password rules.</summary>
public sealed class PasswordPolicyValidator(PasswordPolicy policy) : IPasswordValidator<User>
{
    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        var errors = policy.Check(password ?? "", user.UserName, user.Email);
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }
}
