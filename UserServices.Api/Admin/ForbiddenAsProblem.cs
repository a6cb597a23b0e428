using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using UserServices.Api.Hosting;

namespace UserServices.Api.Admin;

/// <summary>A refused authorization answers 403 with a ProblemDetails body, where the framework would send an empty one.</summary>
public sealed class ForbiddenAsProblem : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden
            ? ProblemResponses.WriteAsync(context, ProblemResponses.Forbidden(CurrentAdminRequirement.ForbiddenDetail))
            : _default.HandleAsync(next, context, policy, authorizeResult);
}
