using System.Globalization;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Commands;

/// <summary>
/// <c>dotnet UserServices.Api.dll probe URL</c>, the container image's HEALTHCHECK: 0 for a 200, 1 with a line saying
/// why for anything else, without starting the service or reading its settings.
/// </summary>
public sealed class ProbeCommandTests(PostgresServer server)
{
    private static readonly Dictionary<string, string?> NoSettings = [];

    [Fact]
    public async Task Probe_exits_0_when_the_management_listener_answers_200_and_1_for_any_other_status()
    {
        await using var service = await ServingApiProcess.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync(nameof(ProbeCommandTests)),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["MANAGEMENT_URLS"] = "http://127.0.0.1:{port1}",
        }, extraPorts: 1);
        var management = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{service.ExtraPorts[0]}");

        var ready = await ApiProcess.RunAsync(NoSettings, "probe", $"{management}/health/ready");
        var missing = await ApiProcess.RunAsync(NoSettings, "probe", $"{management}/no-such-path");

        ready.ExitCode.ShouldBe(0, ready.ToString());
        ready.StandardOutput.ShouldBeEmpty(ready.ToString());
        ready.StandardError.ShouldBeEmpty(ready.ToString());
        missing.ExitCode.ShouldBe(1, missing.ToString());
        missing.StandardError.Trim().ShouldBe($"{management}/no-such-path answered 404.");
    }

    [Fact]
    public async Task Probe_exits_1_when_nothing_listens()
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePorts.Next()}/health/ready");

        var result = await ApiProcess.RunAsync(NoSettings, "probe", url);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldStartWith($"{url} did not answer: ", Case.Sensitive, result.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/health/ready")]
    [InlineData("http://127.0.0.1:9000/health/ready", "extra")]
    public async Task Probe_without_one_http_url_prints_its_usage_and_exits_1(params string[] arguments)
    {
        var result = await ApiProcess.RunAsync(NoSettings, ["probe", .. arguments]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.Trim().ShouldBe(UserServices.Api.Commands.ProbeCommand.Usage);
    }
}
