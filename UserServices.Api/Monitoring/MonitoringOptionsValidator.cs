using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Monitoring;

/// <summary>
/// The log format is one of the two, and each management URL is plain <c>http://host:port</c> with its own port, not one the public listener uses: the
/// port alone tells the two listeners apart.
/// </summary>
public sealed class MonitoringOptionsValidator(ManagementListener listener) : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var publicPorts = listener.PublicUrls.Select(ManagementListener.PortOf).OfType<int>().ToHashSet();
        var failures = new List<string>();
        if (!options.JsonLogs && !string.Equals(options.LogFormat, "simple", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("LOG_FORMAT (Monitoring:LogFormat) must be 'simple' or 'json'.");
        }

        foreach (var url in ManagementListener.Split(options.ManagementUrls))
        {
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || ManagementListener.PortOf(url) is not { } port
                || port is < 1 or > 65535 || BindingAddress.Parse(url).PathBase.Length > 0)
            {
                failures.Add($"MANAGEMENT_URLS (Monitoring:ManagementUrls) must be http://host:port addresses with a port, such as http://127.0.0.1:9000; '{url}' is not.");
            }
            else if (publicPorts.Contains(port))
            {
                failures.Add($"MANAGEMENT_URLS (Monitoring:ManagementUrls) must use a port of its own; {port} is also in the service's urls.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
