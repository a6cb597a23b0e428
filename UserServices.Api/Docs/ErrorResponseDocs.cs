using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace UserServices.Api.Docs;

/// <summary>
/// Tells, on each error response of the document, when it happens and what its ProblemDetails body looks like, with an
/// example copied from the service's real answers, so a person reading /docs knows the errors without provoking them.
/// The responses themselves come from the controllers' <c>[ProducesResponseType]</c>; this only explains them.
/// </summary>
internal sealed class ErrorResponseDocs : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";
    private const string SampleTraceId = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    private sealed record ErrorDoc(string Description, JsonObject Example, string? WwwAuthenticate = null);

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses is null)
        {
            return Task.CompletedTask;
        }

        // Only endpoints that really carry a rate-limit policy can answer 429; the document must not promise more.
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<EnableRateLimitingAttribute>().Any() && !metadata.OfType<DisableRateLimitingAttribute>().Any()
            && !operation.Responses.ContainsKey("429"))
        {
            operation.Responses["429"] = new OpenApiResponse
            {
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document) },
                },
            };
        }

        var route = $"{context.Description.HttpMethod} /{context.Description.RelativePath}";
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse editable || Describe(route, status) is not { } doc)
            {
                continue;
            }

            editable.Description = doc.Description;
            if (editable.Content?.TryGetValue(ProblemJson, out var media) == true)
            {
                media.Example = doc.Example;
            }

            if (doc.WwwAuthenticate is { } challenge)
            {
                (editable.Headers ??= new Dictionary<string, IOpenApiHeader>())["WWW-Authenticate"] = new OpenApiHeader
                {
                    Description = $"`{challenge}`",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }

        return Task.CompletedTask;
    }

    private static ErrorDoc? Describe(string route, string status) => (route, status) switch
    {
        ("POST /user/register", "400") => new(
            "Invalid fields: every problem, by field, in `errors`.",
            Problem(400, "One or more validation errors occurred.", "The registration has invalid fields; see 'errors'.",
                "https://tools.ietf.org/html/rfc9110#section-15.5.1", new JsonObject
                {
                    ["errors"] = new JsonObject
                    {
                        ["email"] = new JsonArray("Email 'x' is invalid."),
                        ["password"] = new JsonArray("Password must be at least 8 characters."),
                    },
                })),
        ("POST /user/register", "409") => new(
            "The username or the email is already registered (compared case-insensitively).",
            Problem(409, "Conflict", "That username or email is already registered.", "https://tools.ietf.org/html/rfc9110#section-15.5.10")),
        ("POST /user/token", "400") => new(
            "A field is missing or too long (`error: invalid_request`), or `grant_type` is not `password` (`error: unsupported_grant_type`).",
            OAuthProblem(400, "invalid_request", "The 'password' field is required.", "https://www.rfc-editor.org/rfc/rfc6749#section-5.2")),
        ("POST /user/token", "401") => new(
            "Wrong username or password, or the account is locked out; the answer does not say which (`error: invalid_grant`).",
            OAuthProblem(401, "invalid_grant", "Incorrect username or password", "https://www.rfc-editor.org/rfc/rfc6749#section-5.2"),
            "Bearer"),
        (_, "401") => new(
            "The bearer token is missing, malformed, expired or no longer valid (`error: invalid_token`).",
            OAuthProblem(401, "invalid_token", "The access token is missing, malformed, expired or no longer valid.",
                "https://www.rfc-editor.org/rfc/rfc6750#section-3.1"),
            "Bearer error=\"invalid_token\""),
        ("GET /user/user", "404") => new(
            "The token is valid but its account has been deleted since it was issued.",
            Problem(404, "Not Found", "The account this token was issued for no longer exists.", "https://tools.ietf.org/html/rfc9110#section-15.5.5")),
        (_, "429") => new(
            "Too many requests from this client: the endpoint's rate limit was hit. Try again later.",
            Problem(429, "Too Many Requests", null, "https://tools.ietf.org/html/rfc6585#section-4")),
        _ => null,
    };

    private static JsonObject Problem(int status, string title, string? detail, string type, JsonObject? extra = null)
    {
        var body = new JsonObject { ["type"] = type, ["title"] = title, ["status"] = status };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        foreach (var (name, value) in extra ?? [])
        {
            body[name] = value?.DeepClone();
        }

        body["traceId"] = SampleTraceId;
        return body;
    }

    private static JsonObject OAuthProblem(int status, string error, string detail, string type)
    {
        var body = Problem(status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), detail, type);
        body["error"] = error;
        body["error_description"] = detail;
        return body;
    }
}
