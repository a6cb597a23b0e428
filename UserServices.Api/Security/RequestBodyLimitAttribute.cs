using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using UserServices.Api.Errors;

namespace UserServices.Api.Security;

/// <summary>
/// A small body limit for the auth endpoints (their real requests are a few hundred bytes): a declared length
/// over it is refused before anything is read, and the server stops reading an undeclared (chunked) body past it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequestBodyLimitAttribute(long bytes) : Attribute, IResourceFilter, IOrderedFilter
{
    public long Bytes => bytes;

    // Before model binding, which is what reads the body.
    public int Order => int.MinValue;

    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var http = context.HttpContext;
        if (http.Request.ContentLength > bytes)
        {
            var factory = http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Mvc.Infrastructure.ProblemDetailsFactory>();
            var problem = factory.CreateProblemDetails(http, StatusCodes.Status413PayloadTooLarge,
                detail: $"The request body is {http.Request.ContentLength} bytes; this endpoint accepts at most {bytes}.");
            context.Result = problem.ToResult();
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
