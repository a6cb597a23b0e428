using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace UserServices.Api.Docs;

/// <summary>The members every error body adds to RFC 9457's ProblemDetails (see Hosting/ProblemResponses.cs).</summary>
internal static class ProblemDetailsSchema
{
    public static Task DescribeExtensions(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (!typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            return Task.CompletedTask;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["traceId"] = Text("Identifies the request in the service's logs; quote it when reporting a problem.");
        schema.Properties["error"] = Text("OAuth2 errors only (RFC 6749 §5.2, RFC 6750 §3.1): `invalid_request`, `invalid_client`, `unauthorized_client`, `unsupported_grant_type`, `invalid_grant` or `invalid_token`.");
        schema.Properties["error_description"] = Text("OAuth2 errors only: the same text as `detail`.");
        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
