using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LoadGen;

/// <summary>
/// The service under test, started as <c>dotnet UserServices.Api.dll</c> (Release) so that start-up is timed
/// from the moment the process is created. Its output goes to a log file next to the results.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _drain;
    private readonly StreamWriter _log;

    private ServiceProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        _drain = Task.WhenAll(Copy(process.StandardOutput), Copy(process.StandardError));
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>Process creation to the first 200 from /health/ready.</summary>
    public TimeSpan StartToReady { get; private set; }

    public static Dictionary<string, string> Environment(BenchOptions options, string secretKey, int? gateConcurrency, int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DATABASE_URL"] = options.DatabaseUrl,
        ["SECRET_KEY"] = secretKey,
        ["BCRYPT_WORK_FACTOR"] = options.WorkFactor.ToString(CultureInfo.InvariantCulture),
        // The benchmark measures capacity, not the abuse limits: make them unreachable.
        ["RateLimits__TokenPerClientPerMinute"] = "100000000",
        ["RateLimits__TokenPerUserPerMinute"] = "100000000",
        ["RateLimits__RegisterPerClientPerMinute"] = "100000000",
        ["PasswordChecks__Concurrency"] = (gateConcurrency ?? 0).ToString(CultureInfo.InvariantCulture),
        ["Urls"] = $"http://127.0.0.1:{port}",
    };

    /// <summary>Runs <c>dotnet UserServices.Api.dll migrate</c> to completion, so timed starts find the schema in place.</summary>
    public static async Task MigrateAsync(BenchOptions options, string secretKey, string logPath)
    {
        var info = StartInfo(options, Environment(options, secretKey, null, FreePort()), "migrate");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the service.");
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        var text = string.Concat(await output);
        await File.WriteAllTextAsync(logPath, text);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet UserServices.Api.dll migrate` exited with {process.ExitCode}:\n{text}");
        }
    }

    public static async Task<ServiceProcess> StartAsync(BenchOptions options, string secretKey, int? gateConcurrency, string logPath)
    {
        var port = FreePort();
        var info = StartInfo(options, Environment(options, secretKey, gateConcurrency, port), null);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the service.");
        var service = new ServiceProcess(process, log, new Uri($"http://127.0.0.1:{port}"));
        if (options.PidFile is { } pidFile)
        {
            // bench/run.sh kills exactly this process if the load generator dies without stopping it.
            await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        }

        // A client of its own: no connection pooled here may be counted by a measured phase.
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(5),
        };
        var deadline = TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode} before it was ready; see {logPath}.");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    service.StartToReady = clock.Elapsed;
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > deadline)
            {
                await service.DisposeAsync();
                throw new TimeoutException($"The service was not ready within {deadline.TotalSeconds} s; see {logPath}.");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>A line of /proc/&lt;pid&gt;/status in kB (VmHWM, VmRSS) or as a count (Threads).</summary>
    public long? Status(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>User plus system CPU time the service has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _drain;
        await _log.DisposeAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(BenchOptions options, Dictionary<string, string> environment, string? command)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            // The content root (appsettings.json) is the working directory; no .env lies there.
            WorkingDirectory = Path.GetDirectoryName(options.ApiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(options.ApiDll);
        if (command is not null)
        {
            info.ArgumentList.Add(command);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private async Task Copy(StreamReader from)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
