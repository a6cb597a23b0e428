using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Net.Http.Headers;

namespace UserServices.Api.Hosting;

/// <summary>
/// What every request body must be before model binding reads it: UTF-8 (the only charset JSON may use between
/// systems, RFC 8259 §8.1, and the one form bodies are sent in), and a form names each parameter once
/// (RFC 6749 §3.1: request parameters MUST NOT be included more than once). Other charsets made the framework's
/// readers throw (a 500); a repeated parameter let two readers of one request see different values. And no query
/// parameter holds U+0000 (<see cref="NoNulStrings"/> says why; a form's is refused as malformed when it is read).
/// </summary>
internal sealed class RequestBodyRules : IAsyncResourceFilter, IOrderedFilter
{
    // Right after [RequestBodyLimit], which sets the limit the form is read under.
    public int Order => int.MinValue + 1;

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        // A URL can only carry U+0000 percent-encoded: the raw text says whether there is one to look for.
        if (request.QueryString.Value is { } query && query.Contains("%00", StringComparison.Ordinal)
            && request.Query.FirstOrDefault(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true)).Key is { } withNul)
        {
            context.Result = ProblemResponses.InvalidFields(
                new Dictionary<string, string[]> { [withNul.Replace("\0", "", StringComparison.Ordinal)] = [NoNulStrings.Message] },
                ProblemResponses.InvalidRequestDetail).ToResult();
            return;
        }

        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && HeaderUtilities.RemoveQuotes(type.Charset) is { Length: > 0 } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            context.Result = ProblemResponses.UnsupportedCharset(charset.ToString()).ToResult();
            return;
        }

        if (request.HasFormContentType)
        {
            // Read here rather than by model binding, which turns a body over its limit into a 400 "Failed to read
            // the request form"; from here a chunked body over the limit reaches the exception handler as the 413
            // a declared one gets. Binding then uses the form read here.
            var form = await request.ReadFormAsync(context.HttpContext.RequestAborted);
            if (form.FirstOrDefault(field => field.Value.Count > 1).Key is { } repeated)
            {
                context.Result = ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request",
                    $"The '{repeated}' parameter was sent more than once.").ToResult();
                return;
            }
        }

        await next();
    }
}
