using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Hosting;

public static class ForwardedHeadersSetup
{
    /// <summary>X-Forwarded-For and X-Forwarded-Proto, believed only from the proxies the operator names.</summary>
    internal static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.Section)
            .Validate(o => o.TrustedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "RateLimits:TrustedNetworks must be CIDR ranges such as 10.0.0.0/8.")
            .Validate(o => o.TrustedProxies.All(p => IPAddress.TryParse(p, out _)), "RateLimits:TrustedProxies must be IP addresses.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            // The framework trusts loopback by default; here only what the operator names is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // With both lists empty the framework's middleware believes the headers from EVERY peer, so with no
            // proxy named nothing is read at all: the connection's address is the client (OWASP ASVS 5.0 15.3.4).
            forwarded.ForwardedHeaders = trusted.Value.TrustedProxies.Length + trusted.Value.TrustedNetworks.Length == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in trusted.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.Value.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }
}
