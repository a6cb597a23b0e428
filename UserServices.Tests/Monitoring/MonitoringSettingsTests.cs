using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Monitoring;

/// <summary>Without MANAGEMENT_URLS there is no scrape endpoint; wrong monitoring settings stop the service at start.</summary>
public sealed class MonitoringSettingsTests(ServiceFixture<MonitoringSettingsTests> fixture) : IClassFixture<ServiceFixture<MonitoringSettingsTests>>
{
    [Fact]
    public async Task Without_management_urls_there_is_no_metrics_endpoint()
    {
        var response = await fixture.App.CreateClient().GetAsync("/metrics");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_log_format_stops_the_service_with_one_line()
    {
        var result = await ApiProcess.RunAsync(Settings(("LOG_FORMAT", "xml")), "migrate");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.Trim().ShouldBe("Configuration error: LOG_FORMAT (Monitoring:LogFormat) must be 'simple' or 'json'.", result.ToString());
    }

    [Fact]
    public async Task Management_urls_must_be_http_with_a_port_of_their_own()
    {
        var result = await ApiProcess.RunAsync(
            Settings(("ASPNETCORE_URLS", "http://127.0.0.1:18000"), ("MANAGEMENT_URLS", "https://127.0.0.1:9000;http://127.0.0.1;http://127.0.0.1:18000")), "migrate");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldBe(
        [
            "Configuration error: MANAGEMENT_URLS (Monitoring:ManagementUrls) must be http://host:port addresses with a port, such as http://127.0.0.1:9000; 'https://127.0.0.1:9000' is not.",
            "Configuration error: MANAGEMENT_URLS (Monitoring:ManagementUrls) must be http://host:port addresses with a port, such as http://127.0.0.1:9000; 'http://127.0.0.1' is not.",
            "Configuration error: MANAGEMENT_URLS (Monitoring:ManagementUrls) must use a port of its own; 18000 is also in the service's urls.",
        ], result.ToString());
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string?> { ["DATABASE_URL"] = fixture.DatabaseUrl, ["SECRET_KEY"] = UserServicesApp.SecretKey };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }
}
