using Microsoft.AspNetCore.Http;

namespace UserServices.Api.Monitoring;

/// <summary>
/// The ports of the management listener. A request belongs to it when its connection arrived on one of them: the
/// local port is a fact of the connection, which a client cannot fake the way it can a <c>Host</c> header.
/// </summary>
public sealed class ManagementListener
{
    private readonly HashSet<int> _ports;

    public ManagementListener(IReadOnlyList<string> urls, IReadOnlyList<string> publicUrls)
    {
        Urls = urls;
        PublicUrls = publicUrls;
        _ports = [.. urls.Select(url => PortOf(url) ?? 0).Where(port => port > 0)];
    }

    /// <summary>The URLs as configured, each one checked by <see cref="MonitoringOptionsValidator"/>.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>The service's own <c>urls</c>, as they were before the management URLs joined them.</summary>
    public IReadOnlyList<string> PublicUrls { get; }

    public bool Enabled => _ports.Count > 0;

    public bool Serves(HttpContext context) => _ports.Contains(context.Connection.LocalPort);

    /// <summary>Splits a URL list the way ASP.NET Core's own <c>urls</c> setting is written (<c>;</c>-separated).</summary>
    public static string[] Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The explicit port of an <c>http://host:port</c> address, or null when it has none or is not one.</summary>
    public static int? PortOf(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            var written = url.TrimEnd('/');
            return written.EndsWith($":{address.Port}", StringComparison.Ordinal) ? address.Port : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
