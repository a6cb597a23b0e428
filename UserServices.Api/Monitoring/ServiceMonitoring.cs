using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UserServices.Api.Hosting;

namespace UserServices.Api.Monitoring;

/// <summary>
/// Metrics, traces and logs the .NET way: System.Diagnostics.Metrics and Activity, collected by the OpenTelemetry
/// SDK; scraped from the management listener, pushed over OTLP, or neither. Log format for stdout.
/// </summary>
public static class ServiceMonitoring
{
    /// <summary>The OpenTelemetry SDK's own switch: its OTEL_EXPORTER_OTLP_* variables configure the rest.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string DefaultUrls = "http://localhost:5000";

    private static void AddLogFormat(ILoggingBuilder logging, bool json)
    {
        if (json)
        {
            logging.AddJsonConsole(console =>
            {
                // The trace and span ids of ActivityTrackingOptions are written as a scope.
                console.IncludeScopes = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
    }

    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MonitoringOptions>().BindSettings(MonitoringOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.AddSingleton<ServiceMetrics>();

        // Both shape the host (its listeners, its log provider), so they are read now; an invalid value is
        // reported by the options validation above before the service starts.
        var configuration = builder.Configuration;
        var jsonLogs = string.Equals(SettingAliases.Read(configuration, "Monitoring:LogFormat"), "json", StringComparison.OrdinalIgnoreCase);
        var publicUrls = ManagementListener.Split(configuration[WebHostDefaults.ServerUrlsKey]);
        var management = new ManagementListener(
            ManagementListener.Split(SettingAliases.Read(configuration, "Monitoring:ManagementUrls")), publicUrls.Length > 0 ? publicUrls : [DefaultUrls]);
        services.AddSingleton(management);
        AddLogFormat(builder.Logging, jsonLogs);

        if (management.Enabled)
        {
            // Added to the urls Kestrel binds rather than configured in code, which would make Kestrel drop them.
            builder.WebHost.UseUrls([.. management.PublicUrls, .. management.Urls]);
        }

        var otlp = !string.IsNullOrEmpty(configuration[OtlpEndpointVariable]);
        if (!management.Enabled && !otlp)
        {
            // Nobody would read them: no collection at all, so requests pay nothing for metrics.
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("user-services");
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServiceMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                        "Microsoft.AspNetCore.Identity")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (management.Enabled)
                {
                    // Every scrape collects afresh: one Prometheus every 15 s costs nothing worth caching.
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql()).UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Requests that arrived on the management listener get <c>/metrics</c>, <c>/health/live</c> and
    /// <c>/health/ready</c> and nothing else; they leave the pipeline here, ahead of HTTPS redirection, rate limits and
    /// authentication, none of which concern a scraper or a probe. <c>/metrics</c> exists nowhere else.
    /// </summary>
    public static WebApplication UseMonitoring(this WebApplication app)
    {
        var management = app.Services.GetRequiredService<ManagementListener>();
        if (!management.Enabled)
        {
            return app;
        }

        app.MapWhen(management.Serves, branch =>
        {
            // Probes read; any other method on a health path (TRACE included) is refused, as on the public listener.
            branch.Use((context, next) =>
            {
                if (!context.Request.Path.StartsWithSegments("/health")
                    || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return Task.CompletedTask;
            });
            branch.UseHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
            // Every registered check (the tags are Health's); today the same one the public /health/ready runs.
            branch.UseHealthChecks("/health/ready");
            branch.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");
            branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }
}
