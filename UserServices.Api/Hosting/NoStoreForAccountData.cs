using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;

namespace UserServices.Api.Hosting;

/// <summary>
/// <c>Cache-Control: no-store</c> on every answer of an action that needs a signed-in caller: those are the ones
/// that carry account data (the profile, the admin API, the audit log, and whatever is added behind
/// <c>[Authorize]</c> later), and no cache between the client and us may keep them (OWASP ASVS 5.0 14.3.2).
/// Set before the action runs, so its errors are covered too.
/// </summary>
internal sealed class NoStoreForAccountData : IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        if (context.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()
            && !context.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
