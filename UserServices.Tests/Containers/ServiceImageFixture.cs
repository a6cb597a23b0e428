using System.Diagnostics;
using System.Globalization;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// The service's image, built once for the <see cref="ContainerGroup"/> from the repository's <c>Containerfile</c> exactly as an
/// operator builds it, but FROM the <see cref="LocalBaseImages"/> (the two <c>--build-arg</c>s the Containerfile
/// offers). The build stage restores from this machine's NuGet package folder, mounted for the build only, so it
/// downloads nothing the test run has not already restored. Removed afterwards.
/// </summary>
public sealed class ServiceImageFixture : IAsyncLifetime
{
    private static readonly TimeSpan BuildWithin = TimeSpan.FromMinutes(20);

    public string Image { get; } = $"localhost/userservices-test/service:{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>The image's size as podman reports it (bytes, uncompressed: the base's layers and ours).</summary>
    public long SizeBytes { get; private set; }

    public TimeSpan BasesTook { get; private set; }

    public TimeSpan BuildTook { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!Podman.IsInstalled || !File.Exists("/usr/bin/mmdebstrap"))
        {
            throw new InvalidOperationException(
                "podman or mmdebstrap not found: `apt-get install podman runc buildah slirp4netns mmdebstrap` and put `default_ulimits = []` under [containers] in /etc/containers/containers.conf (.ci/run does both).");
        }

        var clock = Stopwatch.StartNew();
        var bases = await LocalBaseImages.EnsureAsync();
        BasesTook = clock.Elapsed;
        clock.Restart();
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await Podman.OutputAsync(BuildWithin, "build", "--layers=false", "--format", "docker", "--network", "host",
            "--volume", $"{packages}:/root/.nuget/packages",
            "--build-arg", $"SDK_IMAGE={bases.Sdk}", "--build-arg", $"RUNTIME_IMAGE={bases.Runtime}",
            "--file", RepositoryFiles.PathOf("Containerfile"), "--tag", Image, RepositoryFiles.Root);
        BuildTook = clock.Elapsed;
        SizeBytes = long.Parse(await Podman.OutputAsync("image", "inspect", "--format", "{{.Size}}", Image), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync() => await Podman.RunAsync("rmi", "--force", Image);
}
