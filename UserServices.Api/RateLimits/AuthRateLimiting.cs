using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;

namespace UserServices.Api.RateLimits;

/// <summary>
/// Per-client limits on the token and registration endpoints (ASP.NET Core's rate limiter) and a per-username
/// limit on logins. The client is the connection's address, or X-Forwarded-For from a trusted proxy (see
/// Hosting/ForwardedHeadersSetup.cs), which is why forwarded headers are applied first.
/// </summary>
public static class AuthRateLimiting
{
    public const string TokenPolicy = "token";
    public const string RegisterPolicy = "register";
    public const string MailPolicy = "mail";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>().BindSettings(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();

        services.AddSingleton<RateLimitBackend>();
        services.AddHostedService(provider => provider.GetRequiredService<RateLimitBackend>());
        services.AddSingleton<UserNameThrottle>();
        services.AddSingleton<ClientCredentialsThrottle>();
        services.AddSingleton<MailAddressThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, RateLimitBackend>((options, limits, backend) =>
        {
            options.AddPolicy(TokenPolicy, context => PerClient(context, backend, TokenPolicy, limits.Value.TokenPerClientPerMinute));
            options.AddPolicy(RegisterPolicy, context => PerClient(context, backend, RegisterPolicy, limits.Value.RegisterPerClientPerMinute));
            options.AddPolicy(MailPolicy, context => PerClient(context, backend, MailPolicy, limits.Value.MailPerClientPerMinute));
            options.OnRejected = (context, _) =>
            {
                CountRejection(context.HttpContext);
                return new ValueTask(ProblemResponses.WriteAsync(context.HttpContext, ProblemResponses.TooManyRequests(), RetryAfter(context.Lease)));
            };
        });
        return builder;
    }

    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>429 with Retry-After, for a limit an action checks itself (the per-username one).</summary>
    public static IActionResult TooManyRequests(RateLimitLease lease) => ProblemResponses.TooManyRequests().ToResult(RetryAfter(lease));

    private static void CountRejection(HttpContext context)
    {
        var metrics = context.RequestServices.GetRequiredService<ServiceMetrics>();
        var endpoint = context.GetEndpoint()?.Metadata;
        switch (endpoint?.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName)
        {
            // Revocation shares the token policy but is no login. The per-address limit refuses before the form is
            // read, so a refused refresh grant counts here too.
            case TokenPolicy when endpoint.GetMetadata<CountedAsLoginAttribute>() is not null:
                metrics.RecordLogin(LoginResult.RateLimited);
                break;
            case RegisterPolicy:
                metrics.RecordRegistration(RegistrationResult.RateLimited);
                break;
        }
    }

    /// <summary>
    /// How long a refused lease says to wait: the limiter knows when its window ends (the in-memory one as a
    /// TimeSpan, the Redis one in whole seconds); when it does not say, a minute is one window.
    /// </summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter.Name, out var wait) switch
        {
            true when wait is TimeSpan span => span,
            true when wait is int seconds => TimeSpan.FromSeconds(seconds),
            _ => TimeSpan.FromMinutes(1),
        };

    private static RateLimitPartition<string> PerClient(HttpContext context, RateLimitBackend backend, string policy, int perMinute) =>
        RateLimitPartition.Get(
            ClientKey(context.Connection.RemoteIpAddress),
            client => backend.CreateLimiter(policy + ":" + client, perMinute));

    /// <summary>An IPv4 address, or an IPv6 address's /64: one host usually holds a whole /64 and could rotate through it.</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
