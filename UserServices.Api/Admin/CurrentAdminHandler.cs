using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using UserServices.Api.Hosting;
using UserServices.Api.Users;
using UserServices.Data;

namespace UserServices.Api.Admin;

/// <summary>
/// Reads the caller's roles from the database on every request, so an admin who is demoted (or deleted) is refused at
/// once, not when the token expires. The bearer check has already refused a locked account or a rotated stamp.
/// </summary>
public sealed class CurrentAdminHandler(UserServicesDbContext db) : AuthorizationHandler<CurrentAdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CurrentAdminRequirement requirement)
    {
        if (context.User.UserId() is { } userId
            && await AdminRoles.HoldsAdminAsync(db, userId, CancellationToken.None))
        {
            context.Succeed(requirement);
        }
    }
}
