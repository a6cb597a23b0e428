using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>
/// Identity's user validator and <see cref="AccountFieldsValidator"/>, applied to the values being set: a new
/// account is checked in full, an existing account only on the fields that changed since it was read.
/// </summary>
/// <remarks>
/// Identity validates the whole user on every save, including the saves it makes on its own during a login (the
/// bcrypt rehash in <c>CheckPasswordAsync</c>, the failed-attempt counter for lockout). Accounts moved over from the
/// Python service may hold a username or an email that registration would refuse today; re-judging
/// those on every save would silently drop the rehash and the lockout counting for exactly those accounts.
/// </remarks>
public sealed class ChangedFieldsUserValidator(UserServicesDbContext db, IdentityErrorDescriber describer) : IUserValidator<User>
{
    private static readonly string[] UserNameCodes = ["InvalidUserName", "DuplicateUserName", "UserNameTooLong"];
    private static readonly string[] EmailCodes = ["InvalidEmail", "DuplicateEmail", "EmailTooLong"];

    private readonly UserValidator<User> _identity = new(describer);
    private readonly AccountFieldsValidator _fields = new();

    public async Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user)
    {
        // Identity's "invalid username" (all it can say with AllowedUserNameCharacters off) is the username rule's to
        // word; its duplicate checks stay.
        var errors = (await IdentityErrorsAsync(manager, user)).Where(e => e.Code != "InvalidUserName")
            .Concat((await _fields.ValidateAsync(manager, user)).Errors)
            .ToList();
        var entry = db.Entry(user);
        if (errors.Count > 0 && entry.State is EntityState.Unchanged or EntityState.Modified)
        {
            if (Unchanged(entry.Property(u => u.UserName)))
            {
                errors.RemoveAll(e => UserNameCodes.Contains(e.Code));
            }

            if (Unchanged(entry.Property(u => u.Email)))
            {
                errors.RemoveAll(e => EmailCodes.Contains(e.Code));
            }
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    /// <summary>
    /// Identity's checks. It looks a username up for duplicates unless its own character list refuses it; with that
    /// list off, a name the rule refuses (a NUL, which PostgreSQL cannot even compare) must not reach the query, so
    /// Identity sees no name for that one check, and the rule's message stands for it.
    /// </summary>
    private async Task<IEnumerable<IdentityError>> IdentityErrorsAsync(UserManager<User> manager, User user)
    {
        var userName = user.UserName;
        if (UserNameRule.Problem(userName) is null)
        {
            return (await _identity.ValidateAsync(manager, user)).Errors;
        }

        user.UserName = null;
        try
        {
            return (await _identity.ValidateAsync(manager, user)).Errors;
        }
        finally
        {
            user.UserName = userName;
        }
    }

    private static bool Unchanged(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry<User, string?> property) =>
        string.Equals(property.OriginalValue, property.CurrentValue, StringComparison.Ordinal);
}
