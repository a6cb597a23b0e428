using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UserServices.Tests.Infrastructure;
using UserServices.Tests.Tokens;

namespace UserServices.Tests.Monitoring;

/// <summary>
/// The built service as a child process with a public and a management listener on loopback ports, PostgreSQL
/// behind it and JSON logs on stdout: what a Prometheus scrape and a log shipper would see.
/// </summary>
public sealed class ManagementListenerTests(ManagementListenerTests.Service service) : IClassFixture<ManagementListenerTests.Service>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Logins_failed_logins_and_refreshes_are_counted_by_outcome_on_the_management_listener()
    {
        using var api = service.Public();
        (await api.PostAsJsonAsync("/user/register", new { username = "metered", email = "metered@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await service.ScrapeAsync();

        var signIn = await api.PostAsync("/user/token", OAuthRequests.Form(("username", "metered"), ("password", Password)));
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refreshToken = (await signIn.ReadJsonAsync()).Str("refresh_token");
        (await api.PostAsync("/user/token", OAuthRequests.Form(("username", "metered"), ("password", "wrong horse battery"))))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.PostAsync("/user/token", OAuthRequests.Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await service.ScrapeAsync();

        string[] counted =
        [
            "userservices_logins_total{otel_scope_name=\"UserServices\",outcome=\"succeeded\"}",
            "userservices_logins_total{otel_scope_name=\"UserServices\",outcome=\"invalid_credentials\"}",
            "userservices_refreshes_total{otel_scope_name=\"UserServices\",outcome=\"rotated\"}",
        ];
        foreach (var series in counted)
        {
            (Value(after, series) - (Value(before, series) ?? 0)).ShouldBe(1, series);
        }

        Value(after, "userservices_registrations_total{otel_scope_name=\"UserServices\",outcome=\"created\"}").ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(1);
        Value(after, "userservices_password_work_queue_length{otel_scope_name=\"UserServices\"}").ShouldBe(0);
        // Registration, two logins and the start-up hash: at least four bcrypts waited for a password thread.
        Value(after, "userservices_password_work_wait_duration_seconds_count{otel_scope_name=\"UserServices\"}").ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task The_framework_meters_are_exported_too()
    {
        using var api = service.Public();
        // A login of its own: Identity's and the service's login meters show nothing until one happened, whichever
        // test of the class runs first.
        (await api.PostAsJsonAsync("/user/register", new { username = "framework", email = "framework@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/user/token", OAuthRequests.Form(("username", "framework"), ("password", Password)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/.well-known/openid-configuration")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The request's duration is recorded as it ends, which may be just after the client has the answer.
        var metrics = await service.ScrapeUntilAsync(text => text.Contains("http_route=\"/health/ready\"", StringComparison.Ordinal));

        string[] families =
        [
            "# TYPE http_server_request_duration_seconds histogram",
            "# TYPE kestrel_active_connections gauge",
            // Identity's meter: it no longer checks passwords (PasswordWork does, on the password threads), but creates and updates users.
            "# TYPE aspnetcore_identity_user_create_duration_seconds histogram",
            "# TYPE db_client_operation_duration_seconds histogram",
            "# TYPE dotnet_gc_collections_total counter",
            "# TYPE userservices_logins_total counter",
            "# TYPE userservices_password_work_wait_duration_seconds histogram",
        ];
        foreach (var family in families)
        {
            metrics.ShouldContain(family, customMessage: metrics);
        }

        Value(metrics, "http_server_request_duration_seconds_count{otel_scope_name=\"Microsoft.AspNetCore.Hosting\",http_request_method=\"GET\"," +
            "http_response_status_code=\"200\",http_route=\"/health/ready\",network_protocol_version=\"1.1\",url_scheme=\"http\"}")
            .ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_public_listener_whatever_the_host_header()
    {
        using var api = service.Public();

        (await api.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        spoofed.Headers.Host = service.Management.Authority;
        (await api.SendAsync(spoofed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_management_listener_serves_health_and_nothing_of_the_api()
    {
        using var management = new HttpClient { BaseAddress = service.Management };

        var live = await management.GetAsync("/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await live.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        var ready = await management.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        (await management.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await management.GetAsync("/.well-known/jwks.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await management.PostAsync("/user/token", OAuthRequests.Form(("username", "metered"), ("password", Password)))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var scrape = await management.GetAsync("/metrics");
        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        scrape.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        using var trace = new HttpRequestMessage(HttpMethod.Trace, "/health/live");
        var traced = await management.SendAsync(trace);
        traced.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        traced.Content.Headers.Allow.ShouldBe(["GET", "HEAD"]);
    }

    [Fact]
    public async Task Json_logs_are_one_object_per_line_and_request_logs_carry_the_trace_and_span_ids()
    {
        using var api = service.Public();
        var refused = await api.PostAsync("/user/token", OAuthRequests.Form(("username", "nobody-here"), ("password", "wrong horse battery")));
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // W3C traceparent form: 00-<trace id>-<span id>-<flags>.
        var traceId = (await refused.ReadJsonAsync()).Str("traceId").Split('-')[1];

        var lines = await service.LogLinesAfterAsync(line => line.Contains(traceId, StringComparison.Ordinal) && line.Contains("Request finished", StringComparison.Ordinal));

        var requestLogs = 0;
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            root.ValueKind.ShouldBe(JsonValueKind.Object, line);
            root.GetProperty("LogLevel").GetString().ShouldNotBeNullOrEmpty(line);
            root.GetProperty("Category").GetString().ShouldNotBeNullOrEmpty(line);
            if (root.GetProperty("Category").GetString() != "Microsoft.AspNetCore.Hosting.Diagnostics")
            {
                continue;
            }

            requestLogs++;
            var trace = root.GetProperty("Scopes").EnumerateArray().Single(scope => scope.TryGetProperty("TraceId", out _));
            trace.Str("TraceId").ShouldMatch("^[0-9a-f]{32}$", line);
            trace.Str("SpanId").ShouldMatch("^[0-9a-f]{16}$", line);
        }

        requestLogs.ShouldBeGreaterThanOrEqualTo(2);
        var ofRefused = lines.Where(line => line.Contains($"\"TraceId\":\"{traceId}\"", StringComparison.Ordinal)).ToArray();
        ofRefused.ShouldContain(line => line.Contains("Request starting HTTP/1.1 POST", StringComparison.Ordinal));
        ofRefused.ShouldContain(line => line.Contains("Request finished HTTP/1.1 POST", StringComparison.Ordinal) && line.Contains(" - 401 ", StringComparison.Ordinal));
    }


    private static double? Value(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One service process for the class: public and management listeners, JSON logs, request logs on.</summary>
    public sealed class Service(PostgresServer server) : IAsyncLifetime
    {
        private ServingApiProcess? _process;

        public Uri Management { get; private set; } = null!;

        public HttpClient Public() => new() { BaseAddress = _process!.Address };

        public async Task<string> ScrapeAsync()
        {
            using var management = new HttpClient { BaseAddress = Management };
            var response = await management.GetAsync("/metrics");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return await response.Content.ReadAsStringAsync();
        }

        public Task<string> ScrapeUntilAsync(Func<string, bool> shows) =>
            Eventually.ValueAsync(ScrapeAsync, shows, metrics => "the metrics never showed it:\n" + metrics, TimeSpan.FromSeconds(10));

        /// <summary>Every stdout line so far, once a line matching <paramref name="written"/> arrived (the console logger writes in the background).</summary>
        public async Task<string[]> LogLinesAfterAsync(Func<string, bool> written)
        {
            await Eventually.TrueAsync(() => _process!.StandardOutputLines.Any(written), "the line was never logged", TimeSpan.FromSeconds(10));
            return [.. _process!.StandardOutputLines];
        }

        public async ValueTask InitializeAsync()
        {
            _process = await ServingApiProcess.StartAsync(new Dictionary<string, string?>
            {
                ["DATABASE_URL"] = await server.CreateDatabaseAsync(nameof(ManagementListenerTests)),
                ["SECRET_KEY"] = UserServicesApp.SecretKey,
                ["BCRYPT_WORK_FACTOR"] = "4",
                ["MANAGEMENT_URLS"] = "http://127.0.0.1:{port1}",
                ["LOG_FORMAT"] = "json",
                ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            }, extraPorts: 1);
            Management = new Uri($"http://127.0.0.1:{_process.ExtraPorts[0]}");
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
    }
}
