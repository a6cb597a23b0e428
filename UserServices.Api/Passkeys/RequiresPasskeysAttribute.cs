using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

namespace UserServices.Api.Passkeys;

/// <summary>While passkeys are off, their endpoints answer 404 saying how to turn them on, before anything else runs.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresPasskeysAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<IOptions<PasskeyOptions>>().Value.Enabled)
        {
            context.Result = ProblemResponses.NotFound(PasskeySetup.DisabledDetail).ToResult();
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
