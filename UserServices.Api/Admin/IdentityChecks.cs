using Microsoft.AspNetCore.Identity;

namespace UserServices.Api.Admin;

internal static class IdentityChecks
{
    /// <summary>An Identity store call that fails here is a bug or a lost race, not bad input: roll everything back.</summary>
    public static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Identity refused an administrative change: {string.Join(" ", result.Errors.Select(e => e.Code))}");
        }
    }
}
