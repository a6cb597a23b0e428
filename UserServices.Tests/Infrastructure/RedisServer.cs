using System.Diagnostics;
using System.Globalization;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A throwaway <c>redis-server</c> (Debian's package) on a free loopback port, nothing persisted, its files in a
/// temporary folder. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it away and bring it back on the
/// same port, as an outage would.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("userservices-redis-").FullName;
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The <c>REDIS_URL</c> the service is given.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{Port}/0");

    private static readonly string[] Binaries = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

    public static string? FindBinary() => Binaries.FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(FreePorts.Next());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var binary = FindBinary() ?? throw new InvalidOperationException("redis-server not found: `apt-get install redis-server`.");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
                     "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var process = _process;
        await FreePorts.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(20), () => process.HasExited);
        if (process.HasExited)
        {
            throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}.");
        }
    }

    /// <summary>Kills the server (its data is gone, as after a crash); <see cref="StartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
