using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

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

    public static WebApplicationBuilder AddAuthRateLimiting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<UserNameThrottle>();
        services.AddSingleton<MailAddressThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            options.AddPolicy(TokenPolicy, context => PerClient(context, limits.Value.TokenPerClientPerMinute));
            options.AddPolicy(RegisterPolicy, context => PerClient(context, limits.Value.RegisterPerClientPerMinute));
            options.AddPolicy(MailPolicy, context => PerClient(context, limits.Value.MailPerClientPerMinute));
            options.OnRejected = (context, _) => new ValueTask(
                ProblemResponses.WriteAsync(context.HttpContext, ProblemResponses.TooManyRequests(), RetryAfter(context.Lease)));
        });
        return builder;
    }

    public static WebApplication UseAuthRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>429 with Retry-After, for a limit an action checks itself (the per-username one).</summary>
    public static IActionResult TooManyRequests(RateLimitLease lease) => ProblemResponses.TooManyRequests().ToResult(RetryAfter(lease));

    // The limiter knows when its window ends; when it does not say, a minute is one window.
    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);

    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            ClientKey(context.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

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
