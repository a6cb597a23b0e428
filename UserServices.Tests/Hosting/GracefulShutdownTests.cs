using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

/// <summary>
/// SIGTERM as systemd sends it to the built service: it stops accepting at once, finishes the requests it holds (a login
/// inside bcrypt included) and exits 0; the host's shutdown timeout (<c>shutdownTimeoutSeconds</c>, default 30 s) bounds
/// how long it waits for them.
/// </summary>
public sealed class GracefulShutdownTests(PostgresServer server)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Sigterm_finishes_a_login_in_bcrypt_refuses_new_connections_and_exits_0()
    {
        // Work factor 14: one bcrypt takes about a second here, so the login is surely still hashing when SIGTERM comes.
        await using var service = await StartAsync(workFactor: 14);
        var login = await LoginInBcryptAsync(service);

        var sigterm = Stopwatch.StartNew();
        await service.TerminateAsync();

        // The listener is closed while the login is still being answered: new connections get no answer.
        var refusedAfter = await NewConnectionsRefusedAsync(service, within: TimeSpan.FromSeconds(5));
        login.IsCompleted.ShouldBeFalse("the login answered before new connections were refused");

        var response = await login;
        var answeredAfter = sigterm.Elapsed;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using (var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            body.RootElement.GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
        }

        var exit = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfter = sigterm.Elapsed;
        exit.ExitCode.ShouldBe(0, exit.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"SIGTERM → refused after {refusedAfter.TotalMilliseconds:F0} ms, login 200 after {answeredAfter.TotalMilliseconds:F0} ms, exit 0 after {exitedAfter.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_short_shutdown_timeout_ends_the_process_before_a_slow_login_finishes()
    {
        // Work factor 16: one bcrypt takes several seconds, far longer than the one-second shutdown timeout.
        await using var service = await StartAsync(workFactor: 16, ("DOTNET_SHUTDOWNTIMEOUTSECONDS", "1"));
        var login = await LoginInBcryptAsync(service);

        var sigterm = Stopwatch.StartNew();
        await service.TerminateAsync();
        var exit = await service.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var exitedAfter = sigterm.Elapsed;

        exit.ExitCode.ShouldBe(0, exit.ToString());
        // One second of grace, the rest is the signal and the process's own exit on a busy machine; bcrypt alone takes longer.
        exitedAfter.ShouldBeLessThan(TimeSpan.FromSeconds(5), exit.ToString());
        // The login still in bcrypt lost its connection: it got no answer at all.
        await Should.ThrowAsync<HttpRequestException>(login);
        TestContext.Current.TestOutputHelper?.WriteLine($"SIGTERM with a 1 s shutdown timeout → exit {exit.ExitCode} after {exitedAfter.TotalMilliseconds:F0} ms");
    }

    private async Task<ServingApiProcess> StartAsync(int workFactor, params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync(nameof(GracefulShutdownTests)),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = workFactor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // "Request starting" lines tell the test the login has reached the service.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        };
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        var service = await ServingApiProcess.StartAsync(environment);
        using var api = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        var registered = await api.PostAsJsonAsync("/user/register", new { username = "olga", email = "olga@example.com", password = Password });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return service;
    }

    /// <summary>
    /// Starts a login and returns once it is inside bcrypt: its request has started (the service logged it) and a
    /// password thread is running (<see cref="BcryptIsRunning"/>).
    /// </summary>
    private static async Task<Task<HttpResponseMessage>> LoginInBcryptAsync(ServingApiProcess service)
    {
        var api = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        var login = api.PostAsync("/user/token", new FormUrlEncodedContent([KeyValuePair.Create("username", "olga"), KeyValuePair.Create("password", Password)]));
        await Eventually.ValueAsync(
            () => Task.FromResult(service.Output.Any(line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains("/user/token", StringComparison.Ordinal))),
            started => started,
            _ => "the login never reached the service\n" + string.Join('\n', service.Output),
            TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(() => BcryptIsRunning(service), "no password thread ever ran the login's bcrypt", TimeSpan.FromSeconds(10));
        login.IsCompleted.ShouldBeFalse("the login answered before SIGTERM: bcrypt was too fast to test a shutdown during it");
        return login.ContinueWith(
            sent =>
            {
                api.Dispose();
                return sent;
            },
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Whether one of the service's password threads (named <c>bcrypt-N</c>, as the kernel shows them in
    /// <c>/proc/PID/task/TID/stat</c>) is running or ready to run: idle ones wait on their queue, asleep.
    /// </summary>
    private static bool BcryptIsRunning(ServingApiProcess service) =>
        Directory.EnumerateDirectories($"/proc/{service.ProcessId}/task").Any(task =>
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var (open, close) = (stat.IndexOf('(', StringComparison.Ordinal), stat.LastIndexOf(')'));
                return stat[(open + 1)..close].StartsWith("bcrypt-", StringComparison.Ordinal) && stat[close + 2] == 'R';
            }
            catch (IOException)
            {
                return false;   // the thread ended meanwhile
            }
        });

    /// <summary>Polls with fresh connections until one gets no answer; returns how long that took.</summary>
    private static async Task<TimeSpan> NewConnectionsRefusedAsync(ServingApiProcess service, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var fresh = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                var response = await fresh.GetAsync("/health/live");
                waited.Elapsed.ShouldBeLessThan(within, $"still answered {(int)response.StatusCode} on a new connection");
            }
            catch (HttpRequestException)
            {
                // Refused, or reset when it reached the kernel's backlog just as the listener closed: no answer either way.
                return waited.Elapsed;
            }

            await Task.Delay(20);
        }
    }
}
