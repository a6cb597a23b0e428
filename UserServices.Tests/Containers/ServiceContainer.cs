using System.Diagnostics;
using System.Globalization;
using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// The image running detached as an operator runs it: read-only root with a tmpfs at <c>/tmp</c>, the two listeners
/// (8080, 9000) published on free loopback ports of this machine. Its network is slirp4netns, from which the
/// machine's own loopback (the tests' PostgreSQL) is <see cref="HostLoopback"/>; host networking would have the fixed
/// ports 8080 and 9000 collide with other test runs on the machine. Removed, whatever state it is in, when disposed.
/// </summary>
public sealed class ServiceContainer : IAsyncDisposable
{
    /// <summary>The address at which the container reaches this machine's 127.0.0.1 (slirp4netns' allow_host_loopback).</summary>
    public const string HostLoopback = "10.0.2.2";

    /// <summary>Longer than the service's own shutdown timeout (30 s), so a slow drain is seen, not cut short.</summary>
    public const int StopTimeoutSeconds = 40;

    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(120);

    private ServiceContainer(string name, int publicPort, int managementPort)
    {
        Name = name;
        Address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{publicPort}/"));
        ManagementAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{managementPort}/"));
    }

    public string Name { get; }

    /// <summary>The public listener (the image's port 8080).</summary>
    public Uri Address { get; }

    /// <summary>The management listener (the image's port 9000).</summary>
    public Uri ManagementAddress { get; }

    /// <summary>From <c>podman run</c> to the first 200 from <c>/health/ready</c> on the management port.</summary>
    public TimeSpan StartedToReady { get; private set; }

    /// <summary>Options for <c>podman run</c> that every run of the image here uses (a one-off command too).</summary>
    public static string[] RunOptions(IReadOnlyDictionary<string, string> environment, params string[] more) =>
    [
        "--network", "slirp4netns:allow_host_loopback=true",
        "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp",
        .. environment.SelectMany(setting => new[] { "--env", $"{setting.Key}={setting.Value}" }),
        .. more,
    ];

    /// <summary>Runs the image until it is ready, or throws with its logs.</summary>
    public static async Task<ServiceContainer> StartAsync(string image, IReadOnlyDictionary<string, string> environment, params string[] more)
    {
        for (var attempt = 1; ; attempt++)
        {
            var container = new ServiceContainer($"userservices-test-{Guid.NewGuid().ToString("N")[..12]}", FreePorts.Next(), FreePorts.Next());
            var clock = Stopwatch.StartNew();
            var run = await Podman.RunAsync(["run", "--detach", "--name", container.Name, "--stop-timeout", StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                "--publish", $"127.0.0.1:{container.Address.Port}:8080", "--publish", $"127.0.0.1:{container.ManagementAddress.Port}:9000",
                .. RunOptions(environment, more), image]);
            if (run.ExitCode != 0)
            {
                await container.DisposeAsync();
                if (attempt < 3 && run.StandardError.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                throw new InvalidOperationException($"podman run failed: {run}");
            }

            try
            {
                await container.WaitUntilReadyAsync();
                container.StartedToReady = clock.Elapsed;
                return container;
            }
            catch
            {
                await container.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The container's main process as this machine sees it (its <c>/proc</c> entry).</summary>
    public async Task<int> HostPidAsync() =>
        int.Parse(await Podman.OutputAsync("inspect", "--format", "{{.State.Pid}}", Name), CultureInfo.InvariantCulture);

    /// <summary><c>podman stop</c> (SIGTERM, the kill only after <see cref="StopTimeoutSeconds"/>): the exit code and how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync()
    {
        var clock = Stopwatch.StartNew();
        await Podman.OutputAsync(TimeSpan.FromSeconds(StopTimeoutSeconds + 30), "stop", "--time", StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture), Name);
        var took = clock.Elapsed;
        var exitCode = int.Parse(await Podman.OutputAsync("inspect", "--format", "{{.State.ExitCode}}", Name), CultureInfo.InvariantCulture);
        return (exitCode, took);
    }

    /// <summary>What it printed, stdout and stderr.</summary>
    public async Task<string> LogsAsync()
    {
        var logs = await Podman.RunAsync("logs", Name);
        return logs.StandardOutput + logs.StandardError;
    }

    public async ValueTask DisposeAsync() => await Podman.RunAsync("rm", "--force", "--time", "0", Name);

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyWithin)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet: the port is published before the service inside binds it.
            }

            if (await Podman.OutputAsync("inspect", "--format", "{{.State.Running}}", Name) != "true")
            {
                throw new InvalidOperationException($"The container exited before it was ready.\n{await LogsAsync()}");
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The container was not ready within {ReadyWithin.TotalSeconds} s.\n{await LogsAsync()}");
    }
}
