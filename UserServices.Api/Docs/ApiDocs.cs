using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace UserServices.Api.Docs;

public static class ApiDocs
{
    public const string PasswordScheme = "OAuth2PasswordBearer";

    /// <summary>The OpenAPI document, declaring the OAuth2 password flow so the Scalar page can sign a person in.</summary>
    public static WebApplicationBuilder AddDocs(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(mvc => mvc.Conventions.Add(new SharedErrorResponses()));
        builder.Services.AddOpenApi(options =>
        {
            options.AddOperationTransformer<ErrorResponseExamples>();
            options.AddSchemaTransformer(ProblemDetailsSchema.DescribeExtensions);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "User Services API";
                document.Info.Description = "Registration, OAuth2 bearer tokens (password and refresh grants), the bearer's profile, " +
                    "and the public keys other services verify tokens with.";
                document.Tags = new HashSet<OpenApiTag>
                {
                    new() { Name = "User", Description = "Create an account; read the bearer's own profile; change its password; close it." },
                    new() { Name = "Auth", Description = "Get bearer tokens (OAuth2 password and refresh grants), revoke them, introspect them, sign out." },
                    new() { Name = "Sessions", Description = "Where the bearer is signed in; end one sign-in or all the others." },
                    new() { Name = "Passkeys", Description = "Add passkeys (WebAuthn) to an account, list, rename and remove them; begin a passkey sign-in (finished at the token endpoint)." },
                    new() { Name = "Account recovery", Description = "Reset a forgotten password by mailed link; confirm or change the email address." },
                    new() { Name = "Admin", Description = "For accounts holding the 'admin' role: find, change, lock and remove accounts; read the audit log." },
                    new() { Name = "Well-known", Description = "Discovery metadata and the public signing keys (JWKS)." },
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[PasswordScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "Sign in with your account to get a bearer token.",
                    Flows = new OpenApiOAuthFlows
                    {
                        Password = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri("/user/token", UriKind.Relative),
                            Scopes = new Dictionary<string, string>(),
                        },
                    },
                };

                return Task.CompletedTask;
            });

            // Every action behind [Authorize] says so, so the page sends the token it obtained.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    (operation.Security ??= []).Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(PasswordScheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapDocs(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("User Services API")
            .DisableDefaultFonts()
            .AddPreferredSecuritySchemes(PasswordScheme)
            .AddPasswordFlow(PasswordScheme, _ => { })
            .DisableTelemetry()
            // Scalar's cloud offers (the "Deploy" bar, the AI agent) lead off this machine; the page is for this API only.
            .HideDeveloperTools()
            .DisableAgent());
        return app;
    }
}
