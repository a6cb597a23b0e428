using Microsoft.AspNetCore.Diagnostics;

namespace UserServices.Api.Hosting;

/// <summary>
/// Turns the exceptions that mean "the client sent something unreadable" (an oversized or cut-off body, a form
/// that cannot be decoded) into their 4xx, instead of the generic 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ProblemResponses.BodyTooLarge(),
            BadHttpRequestException bad => ProblemResponses.Unreadable(bad.StatusCode, "The request could not be read."),
            InvalidDataException => ProblemResponses.Unreadable(StatusCodes.Status400BadRequest, "The request body is malformed."),
            _ => null,
        };
        if (problem is null || context.Response.HasStarted)
        {
            return false;
        }

        logger.LogInformation("Refused an unreadable request: {Reason}", exception.Message);
        await ProblemResponses.WriteAsync(context, problem);
        return true;
    }
}
