namespace UserServices.Api.Monitoring;

public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary><c>simple</c> (human-readable, the default) or <c>json</c> (one object per line, with trace and span ids).</summary>
    public string LogFormat { get; set; } = "simple";

    /// <summary>
    /// Where the management listener binds (<c>http://127.0.0.1:9000</c>; several separated by <c>;</c>): the only
    /// place <c>/metrics</c> is served. Empty: no management listener and no scrape endpoint.
    /// </summary>
    public string? ManagementUrls { get; set; }

    public bool JsonLogs => string.Equals(LogFormat, "json", StringComparison.OrdinalIgnoreCase);
}
