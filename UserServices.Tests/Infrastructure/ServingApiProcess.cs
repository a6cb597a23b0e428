using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The built service serving as a child process, as an operator runs it: its own listeners on loopback ports, its
/// stdout and stderr captured line by line. <see cref="StopAsync"/> ends it with SIGTERM, as systemd would, so
/// every log line it wrote is flushed before the test reads them.
/// </summary>
public sealed class ServingApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private ProcessResult? _result;

    private ServingApiProcess(Process process, string workingDirectory, int port)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The public listener (<c>ASPNETCORE_URLS</c>).</summary>
    public Uri Address { get; }

    public IReadOnlyCollection<string> StandardOutputLines => _stdout;

    /// <summary>
    /// Starts the service on a free loopback port (<c>ASPNETCORE_URLS</c>) and waits until <c>/health/live</c> answers.
    /// <paramref name="environment"/> may name more free ports through <paramref name="extraPorts"/>: each
    /// <c>{port1}</c>, <c>{port2}</c>… in a value becomes one. A port another process took meanwhile is retried.
    /// </summary>
    public static async Task<(ServingApiProcess Process, int[] ExtraPorts)> StartAsync(
        IReadOnlyDictionary<string, string?> environment, int extraPorts = 0)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, extraPorts + 1).Select(_ => FreePort()).ToArray();
            var started = Launch(environment, ports);
            try
            {
                await started.WaitUntilLiveAsync();
                return (started, ports[1..]);
            }
            catch (InvalidOperationException) when (attempt < 3 && started.AddressWasTaken)
            {
                await started.DisposeAsync();
            }
            catch
            {
                await started.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>SIGTERM, then waits for the exit (30 s at most); returns everything it printed.</summary>
    public async Task<ProcessResult> StopAsync()
    {
        if (_result is not null)
        {
            return _result;
        }

        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                ?? throw new InvalidOperationException("Could not run kill.");
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not exit within 30 s of SIGTERM.\n{Output()}");
        }

        // The parameterless wait also drains the redirected streams.
        await _process.WaitForExitAsync(CancellationToken.None);
        _result = new ProcessResult(_process.ExitCode, string.Join('\n', _stdout), string.Join('\n', _stderr));
        return _result;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await StopAsync();
            }
        }
        catch (TimeoutException)
        {
            // Already killed; the test that stopped it reports the timeout itself.
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_workingDirectory, recursive: true);
        }
    }

    private bool AddressWasTaken => _stderr.Concat(_stdout).Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    private static ServingApiProcess Launch(IReadOnlyDictionary<string, string?> environment, int[] ports)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("userservices-serve-").FullName;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(!string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(ApiProcess.DllPath);
        foreach (var key in start.Environment.Keys.Where(IsServiceSetting).ToArray())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports[0]}";
        foreach (var (key, value) in environment)
        {
            var filled = value;
            for (var i = 1; i < ports.Length; i++)
            {
                filled = filled?.Replace($"{{port{i}}}", ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            start.Environment[key] = filled;
        }

        var process = new Process { StartInfo = start };
        var serving = new ServingApiProcess(process, workingDirectory, ports[0]);
        process.OutputDataReceived += (_, line) => Keep(serving._stdout, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(serving._stderr, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serving;
    }

    // The test runner's own environment must not configure the child: only what the test gives it.
    private static bool IsServiceSetting(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
        || key.StartsWith("OTEL_", StringComparison.Ordinal) || key.Contains("__", StringComparison.Ordinal)
        || key is "DATABASE_URL" or "SECRET_KEY" or "BCRYPT_WORK_FACTOR" or "ACCESS_TOKEN_EXPIRE_MINUTES" or "ADMIN_USERNAME"
            or "ADMIN_EMAIL" or "ADMIN_PASSWORD" or "LOG_FORMAT" or "MANAGEMENT_URLS" or "PUBLIC_BASE_URL" or "JWT_ALGORITHM"
            or "JWT_SIGNING_KEY_PATH";

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private async Task WaitUntilLiveAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited before it was live.\n{Output()}");
            }

            try
            {
                if ((await client.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but not answering yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The service was not live within 60 s.\n{Output()}");
    }

    private string Output() => $"--- stdout\n{string.Join('\n', _stdout)}\n--- stderr\n{string.Join('\n', _stderr)}";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
