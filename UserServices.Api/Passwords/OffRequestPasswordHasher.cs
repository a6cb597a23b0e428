using Microsoft.AspNetCore.Identity;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>
/// Identity's hasher, for the work done outside requests (the admin seed, a legacy import). On a request it refuses:
/// bcrypt there would run on a thread-pool thread, the one thing the password threads exist to prevent, so a
/// request's hashing and verifying go through <see cref="PasswordWork"/> and Identity's stores get the hash.
/// </summary>
public sealed class OffRequestPasswordHasher(BcryptPasswordHasher hasher, IHttpContextAccessor http) : IPasswordHasher<User>
{
    public string HashPassword(User user, string password)
    {
        RefuseOnRequest();
        return hasher.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        RefuseOnRequest();
        return hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    private void RefuseOnRequest()
    {
        if (http.HttpContext is not null)
        {
            throw new InvalidOperationException("bcrypt asked for on a request's thread: hash and verify through PasswordWork, which runs it on a password thread.");
        }
    }
}
