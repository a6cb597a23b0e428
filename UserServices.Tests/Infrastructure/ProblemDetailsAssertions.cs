using System.Net;
using System.Text.Json;

namespace UserServices.Tests.Infrastructure;

/// <summary>What every error answer of the service is: an RFC 9457 ProblemDetails, OAuth2 errors included.</summary>
public static class ProblemDetailsAssertions
{
    /// <summary>
    /// The status, <c>application/problem+json</c>, a body that repeats the status and carries a <c>traceId</c>, and
    /// each member that is given. An OAuth2 <paramref name="error"/> also needs <c>error_description</c>, equal to
    /// <c>detail</c>. Returns the body for what only one test checks.
    /// </summary>
    /// <param name="wwwAuthenticate">The whole <c>WWW-Authenticate</c> header, e.g. <c>Bearer</c>.</param>
    public static async Task<JsonElement> ShouldBeProblemAsync(
        this HttpResponseMessage response,
        HttpStatusCode status,
        string? type = null,
        string? title = null,
        string? detail = null,
        string? error = null,
        string? wwwAuthenticate = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        (response.Content.Headers.ContentType?.MediaType).ShouldBe("application/problem+json", text);
        if (wwwAuthenticate is not null)
        {
            response.Headers.WwwAuthenticate.ToString().ShouldBe(wwwAuthenticate);
        }

        var body = await response.ReadJsonAsync();
        body.GetProperty("status").GetInt32().ShouldBe((int)status);
        body.TryGetProperty("traceId", out _).ShouldBeTrue(text);
        if (type is not null)
        {
            body.Str("type").ShouldBe(type);
        }

        if (title is not null)
        {
            body.Str("title").ShouldBe(title);
        }

        if (detail is not null)
        {
            body.Str("detail").ShouldBe(detail);
        }

        if (error is not null)
        {
            body.Str("error").ShouldBe(error);
            body.Str("error_description").ShouldBe(body.Str("detail"));
        }

        return body;
    }

    /// <summary>RFC 6750 §3.1: the answer to a bearer token that is missing, malformed, expired or no longer valid.</summary>
    public static Task<JsonElement> ShouldBeInvalidTokenAsync(this HttpResponseMessage response) =>
        response.ShouldBeProblemAsync(
            HttpStatusCode.Unauthorized,
            type: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
            title: "Unauthorized",
            error: "invalid_token",
            wwwAuthenticate: "Bearer error=\"invalid_token\"");
}
