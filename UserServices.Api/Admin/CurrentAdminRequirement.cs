using Microsoft.AspNetCore.Authorization;

namespace UserServices.Api.Admin;

/// <summary>The caller holds the admin role now, in the database; the roles in the token do not count.</summary>
public sealed class CurrentAdminRequirement : IAuthorizationRequirement
{
    public const string Policy = "current-admin";

    public const string ForbiddenDetail = "This endpoint is for accounts holding the 'admin' role.";
}
