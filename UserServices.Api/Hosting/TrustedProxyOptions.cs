namespace UserServices.Api.Hosting;

/// <summary>
/// Which proxies' X-Forwarded-For / X-Forwarded-Proto are believed. The keys live under <c>RateLimits</c> because
/// per-client limits were their first reader, and operators' configurations already name them there.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "RateLimits";

    /// <summary>Proxies (IP addresses) whose X-Forwarded-For is believed. Empty: the connection's address is the client.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) whose X-Forwarded-For is believed.</summary>
    public string[] TrustedNetworks { get; set; } = [];
}
