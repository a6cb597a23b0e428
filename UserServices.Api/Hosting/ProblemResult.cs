using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Hosting;

/// <summary>An action's error answer, written by <see cref="ProblemResponses.WriteAsync"/> like every other error body.</summary>
public sealed class ProblemResult(ProblemDetails problem, TimeSpan? retryAfter = null) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => ProblemResponses.WriteAsync(context.HttpContext, problem, retryAfter);
}
