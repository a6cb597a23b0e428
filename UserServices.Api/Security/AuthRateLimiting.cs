using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Security;

/// <summary>
/// Per-client limits on the token and registration endpoints (ASP.NET Core's rate limiter), a per-username
/// limit on logins, and X-Forwarded-For believed only from configured proxies.
/// </summary>
public static class AuthRateLimiting
{
    public const string TokenPolicy = "token";
    public const string RegisterPolicy = "register";

    public static WebApplicationBuilder AddAuthRateLimiting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.TrustedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "RateLimits:TrustedNetworks must be CIDR ranges such as 10.0.0.0/8.")
            .Validate(o => o.TrustedProxies.All(p => IPAddress.TryParse(p, out _)), "RateLimits:TrustedProxies must be IP addresses.")
            .ValidateOnStart();

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<RateLimitOptions>>((forwarded, limits) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what the operator names is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in limits.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in limits.Value.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        services.AddSingleton<UserNameThrottle>();
        services.AddOptions<PasswordCheckGateOptions>().BindConfiguration(PasswordCheckGateOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PasswordCheckGate>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            options.AddPolicy(TokenPolicy, context => PerClient(context, limits.Value.TokenPerClientPerMinute));
            options.AddPolicy(RegisterPolicy, context => PerClient(context, limits.Value.RegisterPerClientPerMinute));
            options.OnRejected = (context, cancellationToken) =>
                TooManyRequests(context.HttpContext, context.Lease, cancellationToken);
        });
        return builder;
    }

    public static WebApplication UseAuthRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>429 with Retry-After and a ProblemDetails body.</summary>
    public static async ValueTask TooManyRequests(HttpContext context, RateLimitLease lease, CancellationToken cancellationToken)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = "Too many requests; retry after the number of seconds in Retry-After.",
                Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            },
        });
    }

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

/// <summary>
/// Logins per username per minute, across all client addresses: a distributed guesser hits this even when each
/// address stays under its own limit. Checked in the token endpoint, where the username has been read.
/// </summary>
public sealed class UserNameThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(userName =>
        RateLimitPartition.GetFixedWindowLimiter(userName, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.TokenPerUserPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string userName) => _limiter.AttemptAcquire(userName.ToUpperInvariant());

    public void Dispose() => _limiter.Dispose();
}
