using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The built service serving as a child process, as an operator runs it (alone, or as one of several replicas behind
/// a proxy): started through <see cref="ApiProcess"/>'s start info on free loopback ports, its stdout and stderr
/// captured line by line. <see cref="StopAsync"/> ends it with SIGTERM, as systemd would, so every log line it wrote
/// is flushed before the test reads them; <see cref="TerminateAsync"/> and <see cref="WaitForExitAsync"/> split that
/// in two for a test that watches the shutdown itself.
/// </summary>
public sealed class ServingApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly ConcurrentQueue<(bool IsError, string Text)> _lines = new();
    private bool _terminated;
    private ProcessResult? _result;

    private readonly bool _ownsWorkingDirectory;

    private ServingApiProcess(Process process, string workingDirectory, bool ownsWorkingDirectory, int[] ports)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        _ownsWorkingDirectory = ownsWorkingDirectory;
        Port = ports[0];
        ExtraPorts = ports[1..];
        Address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));
    }

    /// <summary>The public listener's port (<c>ASPNETCORE_URLS</c>).</summary>
    public int Port { get; }

    public Uri Address { get; }

    /// <summary>The child's process id, for what only the kernel can tell (its threads, in <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The ports that filled <c>{port1}</c>, <c>{port2}</c>… in the environment, in that order.</summary>
    public IReadOnlyList<int> ExtraPorts { get; }

    /// <summary>Every line printed so far, stdout and stderr, in arrival order.</summary>
    public IEnumerable<string> Output => _lines.Select(line => line.Text);

    public IEnumerable<string> StandardOutputLines => _lines.Where(line => !line.IsError).Select(line => line.Text);

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the service on a free loopback port (<c>ASPNETCORE_URLS</c>) and waits until <c>/health/live</c> answers.
    /// <paramref name="environment"/> may name more free ports through <paramref name="extraPorts"/>: each
    /// <c>{port1}</c>, <c>{port2}</c>… in a value becomes one (<see cref="ExtraPorts"/>). A port another process took
    /// meanwhile is retried.
    /// </summary>
    /// <param name="workingDirectory">Where it runs (left in place); a fresh empty folder unless given.</param>
    /// <param name="setsUrls">False when <paramref name="environment"/> says where to listen itself, with <c>{port}</c>.</param>
    public static async Task<ServingApiProcess> StartAsync(
        IReadOnlyDictionary<string, string?> environment, int extraPorts = 0, string? workingDirectory = null, bool setsUrls = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, extraPorts + 1).Select(_ => FreePorts.Next()).ToArray();
            var started = Launch(environment, ports, workingDirectory, setsUrls);
            try
            {
                await started.WaitUntilLiveAsync();
                return started;
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

    /// <summary>Sends SIGTERM (once) and returns at once: the service shuts down on its own from here.</summary>
    public async Task TerminateAsync()
    {
        if (_terminated || _process.HasExited)
        {
            return;
        }

        _terminated = true;
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("Could not run kill.");
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the exit (<paramref name="within"/>, 30 s unless told); kills it and throws if it does not come.</summary>
    public async Task<ProcessResult> WaitForExitAsync(TimeSpan? within = null)
    {
        if (_result is not null)
        {
            return _result;
        }

        using var deadline = new CancellationTokenSource(within ?? ExitWithin);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not exit within {(within ?? ExitWithin).TotalSeconds} s.\n{Printed()}");
        }

        // The parameterless wait also drains the redirected streams.
        await _process.WaitForExitAsync(CancellationToken.None);
        _result = new ProcessResult(
            _process.ExitCode,
            string.Join('\n', StandardOutputLines),
            string.Join('\n', _lines.Where(line => line.IsError).Select(line => line.Text)));
        return _result;
    }

    /// <summary>SIGTERM, then waits for the exit (30 s at most); returns everything it printed.</summary>
    public async Task<ProcessResult> StopAsync()
    {
        await TerminateAsync();
        return await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
            // Already killed; a test that stopped it reports the timeout itself.
        }
        finally
        {
            _process.Dispose();
            if (_ownsWorkingDirectory)
            {
                Directory.Delete(_workingDirectory, recursive: true);
            }
        }
    }

    private bool AddressWasTaken => Output.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    private static ServingApiProcess Launch(IReadOnlyDictionary<string, string?> environment, int[] ports, string? workingDirectory, bool setsUrls)
    {
        var settings = new Dictionary<string, string?>();
        if (setsUrls)
        {
            settings["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports[0]}");
        }

        foreach (var (key, value) in environment)
        {
            var filled = value?.Replace("{port}", ports[0].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            for (var i = 1; i < ports.Length; i++)
            {
                filled = filled?.Replace($"{{port{i}}}", ports[i].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            settings[key] = filled;
        }

        var ownsDirectory = workingDirectory is null;
        workingDirectory ??= Directory.CreateTempSubdirectory("userservices-serve-").FullName;
        var process = new Process { StartInfo = ApiProcess.StartInfo(settings, workingDirectory) };
        var serving = new ServingApiProcess(process, workingDirectory, ownsDirectory, ports);
        process.OutputDataReceived += (_, line) => serving.Keep(isError: false, line.Data);
        process.ErrorDataReceived += (_, line) => serving.Keep(isError: true, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serving;
    }

    private void Keep(bool isError, string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue((isError, line));
        }
    }

    private async Task WaitUntilLiveAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ValueAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The service on port {Port} exited before it was live.\n{Printed()}");
                }

                try
                {
                    return (await client.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;   // not listening yet
                }
                catch (TaskCanceledException)
                {
                    return false;   // listening, but not answering yet
                }
            },
            live => live,
            _ => $"The service on port {Port} was not live within {LiveWithin.TotalSeconds} s.\n{Printed()}",
            LiveWithin);
    }

    private string Printed() => $"--- output\n{string.Join('\n', Output)}";
}
