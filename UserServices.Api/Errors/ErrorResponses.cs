using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Errors;

/// <summary>
/// Every error is an RFC 9457 ProblemDetails body. OAuth2 errors add RFC 6749's <c>error</c> and
/// <c>error_description</c>, so OAuth2 libraries and the original's clients (which read <c>detail</c>) both understand it.
/// </summary>
public static class ErrorResponses
{
    public static WebApplicationBuilder AddErrorResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            // The exception's message stays in the log; the client gets the generic 500 text and the trace id.
            if (context.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
            {
                context.ProblemDetails.Detail = "An unexpected error occurred. Quote the traceId when reporting it.";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        return builder;
    }

    /// <summary>An OAuth2 error as ProblemDetails, made by the same factory as every other error (so it has a traceId).</summary>
    public static ObjectResult OAuthError(this ControllerBase controller, int status, string error, string detail)
    {
        var problem = controller.ProblemDetailsFactory.CreateProblemDetails(
            controller.HttpContext, status, detail: detail, type: "https://www.rfc-editor.org/rfc/rfc6749#section-5.2");
        problem.Extensions["error"] = error;
        problem.Extensions["error_description"] = detail;
        return problem.ToResult();
    }

    /// <summary>503 with Retry-After: the service is saturated with password checks and sheds load instead of queueing forever.</summary>
    public static ObjectResult Busy(this ControllerBase controller)
    {
        controller.Response.Headers.RetryAfter = "1";
        var problem = controller.ProblemDetailsFactory.CreateProblemDetails(controller.HttpContext, StatusCodes.Status503ServiceUnavailable,
            detail: "Too many sign-ins are in progress; retry after the number of seconds in Retry-After.");
        return problem.ToResult();
    }

    /// <summary>A ProblemDetails as an MVC result, with its status and the RFC 9457 media type.</summary>
    public static ObjectResult ToResult(this ProblemDetails problem) =>
        new(problem) { StatusCode = problem.Status, ContentTypes = { "application/problem+json" } };

    /// <summary>The same body for handlers outside MVC (the bearer challenge), written by <see cref="IProblemDetailsService"/>.</summary>
    public static ProblemDetails OAuth(int status, string error, string detail, string type) => new()
    {
        Status = status,
        Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
        Detail = detail,
        Type = type,
        Extensions = { ["error"] = error, ["error_description"] = detail },
    };
}
