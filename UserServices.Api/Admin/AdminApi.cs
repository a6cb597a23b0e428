using Microsoft.AspNetCore.Authorization;
using UserServices.Api.Mfa;
using UserServices.Api.Tokens;

namespace UserServices.Api.Admin;

public static class AdminApi
{
    /// <summary>The <c>/admin</c> endpoints: the policy that checks the admin role on each request, and their services.</summary>
    internal static WebApplicationBuilder AddAdminApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthorizationBuilder().AddPolicy(CurrentAdminRequirement.Policy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(AccountHolderRequirement.Instance, new CurrentAdminRequirement(), MfaPolicyRequirement.Instance));
        services.AddScoped<IAuthorizationHandler, CurrentAdminHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAsProblem>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<UserUpdate>();
        services.AddScoped<AdminPasswords>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<AdminSessions>();
        services.AddScoped<AuditSearch>();
        services.AddScoped<EmailCollisions>();
        return builder;
    }
}
