using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;

namespace UserServices.Api.Hosting;

/// <summary>
/// A small body limit for the auth endpoints (their real requests are a few hundred bytes): a declared length
/// over it is refused before anything is read, and the server stops reading an undeclared (chunked) body past it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequestBodyLimitAttribute(long bytes) : Attribute, IResourceFilter, IOrderedFilter
{
    /// <summary>What every auth endpoint accepts: two orders of magnitude above a real request.</summary>
    public const long AuthRequest = 16 * 1024;

    public long Bytes => bytes;

    // Before model binding, which is what reads the body.
    public int Order => int.MinValue;

    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var http = context.HttpContext;
        if (http.Request.ContentLength > bytes)
        {
            context.Result = ProblemResponses.BodyTooLarge(http.Request.ContentLength.Value, bytes).ToResult();
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bytes;
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
