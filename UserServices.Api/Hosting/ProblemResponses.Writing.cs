using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Hosting;

/// <summary>
/// How the bodies <see cref="ProblemResponses"/> builds reach the client: through <see cref="IProblemDetailsService"/>
/// (so every body gets its <c>traceId</c>), labelled for what the client accepts, with <c>Retry-After</c> where it
/// means "come back later". The framework's own answers (no endpoint, wrong method or media type) are decorated here too.
/// </summary>
public static partial class ProblemResponses
{
    internal static WebApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context => Decorate(context.ProblemDetails, context.HttpContext));
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        return builder;
    }

    /// <summary>
    /// Writes <paramref name="problem"/> as the response, with its status, <c>application/problem+json</c> and, for
    /// answers that mean "come back later" (429, 503), <c>Retry-After</c> in whole seconds.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (AcceptsOnlyPlainJson(context.Request))
        {
            // OAuth2 libraries ask for application/json (RFC 6749 §5.2's error type) and some refuse any other type,
            // problem+json included; the body is the same, only its label follows what the client asked for.
            Decorate(problem, context);
            await context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/json");
            return;
        }

        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The client's Accept header excludes JSON; an error body it can ignore beats an empty one.
            Decorate(problem, context);
            await context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: MediaType);
        }
    }

    /// <summary>The same, as an MVC action result.</summary>
    public static IActionResult ToResult(this ProblemDetails problem, TimeSpan? retryAfter = null) => new ProblemResult(problem, retryAfter);

    private static string DefaultDetail(int? status, HttpRequest request) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status401Unauthorized => "Authentication is required.",
        StatusCodes.Status403Forbidden => "This account may not do this.",
        StatusCodes.Status404NotFound => $"Nothing is at {request.Path}.",
        StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}; the Allow header lists the methods that are.",
        StatusCodes.Status406NotAcceptable => "The Accept header names no type this endpoint can answer with; accept application/json.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => string.IsNullOrEmpty(request.ContentType)
            ? "The request has a body but no Content-Type; say what it is (application/json, or the form type this endpoint documents)."
            : $"This endpoint does not read bodies of type '{request.ContentType}'; see the API reference (/docs) for the one it takes.",
        _ => $"The request failed with status {status}.",
    };

    /// <summary>An Accept header that names application/json and nothing problem+json would match (not even a wildcard).</summary>
    private static bool AcceptsOnlyPlainJson(HttpRequest request)
    {
        // Compared by name: the framework's IsSubsetOf counts problem+json as a kind of application/json (the +json
        // suffix), which is exactly the reading these clients do not share.
        var accepted = request.GetTypedHeaders().Accept.Where(type => type.Quality is not 0).Select(type => type.MediaType.Value).ToList();
        return accepted.Contains("application/json", StringComparer.OrdinalIgnoreCase)
            && !accepted.Any(type => type is "*/*" or "application/*" || string.Equals(type, MediaType, StringComparison.OrdinalIgnoreCase));
    }

    private static void Decorate(ProblemDetails problem, HttpContext context)
    {
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        // The framework's own answers (no endpoint, wrong method or media type) come without one; every body has one.
        problem.Detail ??= DefaultDetail(problem.Status, context.Request);
        // The exception's message stays in the log; the client gets the generic 500 text and the trace id.
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            problem.Detail = "An unexpected error occurred. Quote the traceId when reporting it.";
        }
    }
}
