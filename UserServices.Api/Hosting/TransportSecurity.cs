using Microsoft.Extensions.Options;

namespace UserServices.Api.Hosting;

/// <summary>Security headers on every response, HTTPS and HSTS by configuration, CORS only when origins are named.</summary>
public static class TransportSecurity
{
    private const string CorsPolicy = "configured-origins";

    // The API never serves HTML, so nothing may load or frame it.
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    // Scalar's page runs an inline module script and sets inline styles; everything else stays same-origin.
    private const string DocsPolicy = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "connect-src 'self'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    internal static WebApplicationBuilder AddTransportSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.CorsOrigins.All(IsOrigin), "Transport:CorsOrigins must be origins such as https://app.example.com (scheme, host and optional port; no path).")
            .ValidateOnStart();
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HttpsRedirectionOptions>()
            .Configure<IOptions<TransportOptions>>((redirect, transport) => redirect.HttpsPort = transport.Value.HttpsPort);
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<TransportOptions>>((cors, transport) => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(transport.Value.CorsOrigins)
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type")));
        return builder;
    }

    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        var transport = app.Services.GetRequiredService<IOptions<TransportOptions>>().Value;
        if (transport.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? DocsPolicy : ApiPolicy;
            return next(context);
        });

        if (transport.CorsOrigins.Length > 0)
        {
            app.UseCors(CorsPolicy);
        }

        return app;
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
        && !origin.EndsWith('/');
}
