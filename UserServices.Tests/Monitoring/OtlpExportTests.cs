using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Monitoring;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, the built service pushes traces, metrics and logs over OTLP/HTTP to a
/// receiver on a loopback port. The receiver keeps the protobuf bodies, whose strings
/// (span names, metric names, log messages) are plain UTF-8 inside them.
/// </summary>
public sealed class OtlpExportTests(PostgresServer server) : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private WebApplication? _receiver;
    private string _receiverUrl = "";

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue((context.Request.Path, body.ToArray()));
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _receiverUrl = _receiver.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
    }

    [Fact]
    public async Task Traces_with_database_spans_metrics_and_logs_are_exported_over_otlp()
    {
        await using var service = await ServingApiProcess.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync(nameof(OtlpExportTests)),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiverUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "user-services-under-test",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        });
        using var api = new HttpClient { BaseAddress = service.Address };
        (await api.PostAsJsonAsync("/user/register", new { username = "olga", email = "olga@example.com", password = "correct horse battery" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/user/token", new FormUrlEncodedContent([KeyValuePair.Create("username", "olga"), KeyValuePair.Create("password", "correct horse battery")])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // SIGTERM: the SDK flushes what it holds on the way out.
        (await service.StopAsync()).ExitCode.ShouldBe(0);

        Sent("/v1/traces").ShouldContain("POST user/token");
        Sent("/v1/traces").ShouldContain("postgresql");
        Sent("/v1/traces").ShouldContain("user-services-under-test");
        Sent("/v1/metrics").ShouldContain("userservices.logins");
        Sent("/v1/metrics").ShouldContain("http.server.request.duration");
        Sent("/v1/metrics").ShouldContain("succeeded");
        Sent("/v1/logs").ShouldContain("bcrypt: ");
    }

    public async ValueTask DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    private string Sent(string path) =>
        string.Join('\n', _received.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)));
}
