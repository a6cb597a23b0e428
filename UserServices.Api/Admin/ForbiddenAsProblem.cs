using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using UserServices.Api.Hosting;
using UserServices.Api.Tokens;

namespace UserServices.Api.Admin;

/// <summary>A refused authorization answers 403 with a ProblemDetails body, where the framework would send an empty one.</summary>
public sealed class ForbiddenAsProblem : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        if (authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<AccountHolderRequirement>().Any() == true)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
            return ProblemResponses.WriteAsync(context, ProblemResponses.InsufficientScope());
        }

        return ProblemResponses.WriteAsync(context, ProblemResponses.Forbidden(CurrentAdminRequirement.ForbiddenDetail));
    }
}
