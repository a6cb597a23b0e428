using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LoadGen;

/// <summary>
/// A service under test, started as a child process so that start-up is timed from the moment the process is
/// created and its CPU time and memory can be read. Its output goes to a log file next to the results.
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

    /// <summary>Process creation to the first 200 from the launch's ready path.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>Runs a command of the service's program to completion (e.g. <c>migrate</c>); throws unless it exits 0.</summary>
    public static async Task RunToCompletionAsync(ServiceLaunch launch, string logPath)
    {
        using var process = Process.Start(StartInfo(launch)) ?? throw new InvalidOperationException($"Could not start {launch.FileName}.");
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        var text = string.Concat(await output);
        await File.WriteAllTextAsync(logPath, text);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{launch.FileName} {string.Join(' ', launch.Arguments)}` exited with {process.ExitCode}:\n{text}");
        }
    }

    public static async Task<ServiceProcess> StartAsync(ServiceLaunch launch, string logPath, string? pidFile)
    {
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(StartInfo(launch)) ?? throw new InvalidOperationException($"Could not start {launch.FileName}.");
        var service = new ServiceProcess(process, log, new Uri($"http://127.0.0.1:{launch.Port}"));
        if (pidFile is not null)
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
                var code = process.ExitCode;
                await service.DisposeAsync();
                throw new InvalidOperationException($"{launch.FileName} exited with {code} before it was ready; see {logPath}.");
            }

            try
            {
                using var response = await client.GetAsync(launch.ReadyPath);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    service.StartToReady = clock.Elapsed;
                    return service;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > deadline)
            {
                await service.DisposeAsync();
                throw new TimeoutException($"{launch.FileName} was not ready within {deadline.TotalSeconds} s; see {logPath}.");
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

    private static ProcessStartInfo StartInfo(ServiceLaunch launch)
    {
        var info = new ProcessStartInfo(launch.FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment)
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
}
