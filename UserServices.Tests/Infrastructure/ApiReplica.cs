using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The built service serving (<c>dotnet UserServices.Api.dll</c>) as a child process on a free loopback port, as a
/// replica behind a proxy runs: started through <see cref="ApiProcess"/>'s start info, its output captured line by
/// line, stopped with SIGTERM.
/// </summary>
public sealed class ApiReplica : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly ConcurrentQueue<string> _lines = new();

    private ApiReplica(Process process, string workingDirectory, int port)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>Everything the replica printed so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyCollection<string> Output => _lines;

    public static async Task<ApiReplica> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePorts.Next();
        var settings = new Dictionary<string, string?>(environment)
        {
            ["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
        };
        var workingDirectory = Directory.CreateTempSubdirectory("userservices-replica-").FullName;
        var process = Process.Start(ApiProcess.StartInfo(settings, workingDirectory)) ?? throw new InvalidOperationException("Could not start dotnet.");
        var replica = new ApiReplica(process, workingDirectory, port);
        process.OutputDataReceived += (_, line) => replica.Append(line.Data);
        process.ErrorDataReceived += (_, line) => replica.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = replica.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The replica on port {port} exited with {process.ExitCode}:\n{string.Join('\n', replica.Output)}");
            }

            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode)
                {
                    return replica;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                await replica.DisposeAsync();
                throw new TimeoutException($"The replica on port {port} did not answer /health/live within 90 s.");
            }

            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }
}
