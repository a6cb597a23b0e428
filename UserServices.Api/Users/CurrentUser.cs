using System.Globalization;
using Microsoft.AspNetCore.Identity;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

public static class CurrentUser
{
    /// <summary>
    /// The caller's account as a tracked entity, for an endpoint that changes it; null when the bearer check found no
    /// account (it was deleted since the token was issued) or it is gone by now.
    /// </summary>
    public static async Task<User?> FindCurrentAsync(this UserManager<User> users, CurrentAccount current) =>
        current.Account is { } account ? await users.FindByIdAsync(account.Id.ToString(CultureInfo.InvariantCulture)) : null;
}
