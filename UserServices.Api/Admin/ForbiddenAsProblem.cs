using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using UserServices.Api.Hosting;
using UserServices.Api.Mfa;
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

        // Only for an admin: to anyone else the admin requirement's answer says more.
        if (authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() is [MfaPolicyRequirement])
        {
            // RFC 9470 §3: the sign-in behind the token is not enough; signing in again with a second factor is.
            context.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_user_authentication\", error_description=\"{ProblemResponses.InsufficientUserAuthenticationDetail}\"";
            return ProblemResponses.WriteAsync(context, ProblemResponses.InsufficientUserAuthentication());
        }

        return ProblemResponses.WriteAsync(context, ProblemResponses.Forbidden(CurrentAdminRequirement.ForbiddenDetail));
    }
}
