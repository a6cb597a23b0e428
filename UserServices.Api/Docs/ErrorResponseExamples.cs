using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using UserServices.Api.Admin;
using UserServices.Api.Clients;
using UserServices.Api.Hosting;

namespace UserServices.Api.Docs;

/// <summary>
/// Puts an example body and the headers that come with it on each documented error, so a person reading /docs
/// knows the errors without provoking them. The examples are built by <see cref="ProblemResponses"/>, the same code
/// that builds the real answers, from each endpoint's own detail and field error (<see cref="ErrorResponseAttribute"/>);
/// DocumentedErrorsTests provokes every documented error and compares its <c>detail</c> and <c>error</c> with these.
/// </summary>
internal sealed class ErrorResponseExamples : IOpenApiOperationTransformer
{
    private const string SampleTraceId = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var action = context.Description.ActionDescriptor;
        var limit = action.FilterDescriptors.Select(f => f.Filter).OfType<RequestBodyLimitAttribute>().FirstOrDefault()?.Bytes ?? 0;
        foreach (var declared in action.FilterDescriptors.Select(f => f.Filter).OfType<ErrorResponseAttribute>())
        {
            if (operation.Responses?.TryGetValue(declared.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found) != true
                || found is not OpenApiResponse response)
            {
                continue;
            }

            if (Example(declared, limit) is { } example && response.Content?.TryGetValue(ProblemResponses.MediaType, out var media) == true)
            {
                media.Example = example;
            }

            foreach (var (name, description) in Headers(declared))
            {
                (response.Headers ??= new Dictionary<string, IOpenApiHeader>())[name] = new OpenApiHeader
                {
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }

        return Task.CompletedTask;
    }

    private static JsonNode? Example(ErrorResponseAttribute declared, long limit)
    {
        var problem = (declared.StatusCode, declared.OAuthError, declared.ExampleDetail) switch
        {
            (StatusCodes.Status403Forbidden, "insufficient_scope", _) => ProblemResponses.InsufficientScope(),
            (var status, { } error, var detail) => ProblemResponses.OAuth(status, error, detail ?? ""),
            (StatusCodes.Status400BadRequest, _, var detail) => ProblemResponses.InvalidFields(FieldErrors(declared), detail ?? ""),
            (StatusCodes.Status401Unauthorized, _, _) => ProblemResponses.InvalidToken(),
            (StatusCodes.Status403Forbidden, _, _) => ProblemResponses.Forbidden(CurrentAdminRequirement.ForbiddenDetail),
            (StatusCodes.Status404NotFound, _, null) => ProblemResponses.AccountGone(),
            (StatusCodes.Status404NotFound, _, var detail) => ProblemResponses.NotFound(detail),
            (StatusCodes.Status409Conflict, _, var detail) => ProblemResponses.Conflict(detail ?? ""),
            (StatusCodes.Status413PayloadTooLarge, _, _) => ProblemResponses.BodyTooLarge(limit + 1, limit),
            (StatusCodes.Status429TooManyRequests, _, _) => ProblemResponses.TooManyRequests(),
            (StatusCodes.Status503ServiceUnavailable, _, ProblemResponses.MailNotConfiguredDetail) => ProblemResponses.MailNotConfigured(),
            (StatusCodes.Status503ServiceUnavailable, _, _) => ProblemResponses.Busy(),
            _ => (ProblemDetails?)null,
        };
        if (problem is null)
        {
            return null;
        }

        problem.Extensions["traceId"] = SampleTraceId;
        return JsonSerializer.SerializeToNode(problem, problem.GetType(), JsonSerializerOptions.Web);
    }

    private static Dictionary<string, string[]> FieldErrors(ErrorResponseAttribute declared) =>
        declared is { ExampleField: { } field, ExampleFieldError: { } error } ? new() { [field] = [error] } : [];

    private static IEnumerable<(string Name, string Description)> Headers(ErrorResponseAttribute declared) => declared.StatusCode switch
    {
        StatusCodes.Status401Unauthorized when declared.OAuthError == "invalid_grant" => [("WWW-Authenticate", $"`Bearer`, or `{ClientAuthentication.Challenge}` for `invalid_client`")],
        StatusCodes.Status401Unauthorized when declared.OAuthError == "invalid_client" => [("WWW-Authenticate", $"`{ClientAuthentication.Challenge}`")],
        StatusCodes.Status401Unauthorized => [("WWW-Authenticate", "`Bearer error=\"invalid_token\"`")],
        StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable => [("Retry-After", "Seconds to wait before trying again.")],
        _ => [],
    };
}
