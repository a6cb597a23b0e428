using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// Stand-ins for <c>mcr.microsoft.com/dotnet/sdk:10.0</c> and <c>aspnet:10.0</c>, which no registry here serves: a
/// Debian bookworm root filesystem from <c>mmdebstrap</c> (with what .NET needs), plus this machine's own .NET —
/// the shared frameworks for the runtime image, the whole SDK and the machine's extra CA certificates for the build
/// image. They take a few minutes to make, so they are made once and kept in podman's image store under a tag that
/// hashes everything they are made from; a later run (or another worktree) finds them there. A file lock under
/// <see cref="CacheFolder"/> keeps two test runs from making them at once.
/// </summary>
public static class LocalBaseImages
{
    private const string CacheFolder = "/var/tmp/userservices-container-bases";
    private const string DebianPackages = "ca-certificates,libicu72,libssl3,tzdata,zlib1g";
    private const string CertificateFolder = "/usr/local/share/ca-certificates";
    private static readonly TimeSpan MakeWithin = TimeSpan.FromMinutes(15);

    public sealed record Tags(string Sdk, string Runtime);

    public static async Task<Tags> EnsureAsync()
    {
        // The runtime directory is <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var certificates = Directory.Exists(CertificateFolder) ? Directory.GetFiles(CertificateFolder, "*.crt").Order(StringComparer.Ordinal).ToArray() : [];
        var revocationMode = Environment.GetEnvironmentVariable("NUGET_CERT_REVOCATION_MODE");
        var runtimeRecipe = RuntimeContainerfile("{debian}");
        var sdkRecipe = SdkContainerfile("{debian}", revocationMode);
        var key = Hash([DebianPackages, runtimeRecipe, sdkRecipe, .. Versions(dotnetRoot), .. certificates.Select(File.ReadAllText)]);
        var tags = new Tags($"localhost/userservices-test/sdk:{key}", $"localhost/userservices-test/aspnet:{key}");

        Directory.CreateDirectory(CacheFolder);
        await using var gate = await LockAsync(Path.Combine(CacheFolder, "make.lock"));
        if (await Podman.ImageExistsAsync(tags.Sdk) && await Podman.ImageExistsAsync(tags.Runtime))
        {
            return tags;
        }

        var work = Path.Combine(CacheFolder, key);
        Directory.CreateDirectory(Path.Combine(work, "certs"));
        var debian = $"localhost/userservices-test/debian:{key}";
        try
        {
            var rootfs = Path.Combine(work, "rootfs.tar");
            await ExternalCommand.OutputAsync("mmdebstrap", ["--variant=minbase", $"--include={DebianPackages}", "bookworm", rootfs], MakeWithin);
            await Podman.OutputAsync(MakeWithin, "import", rootfs, debian);
            foreach (var certificate in certificates)
            {
                File.Copy(certificate, Path.Combine(work, "certs", Path.GetFileName(certificate)), overwrite: true);
            }

            await BuildAsync(work, RuntimeContainerfile(debian), tags.Runtime, dotnetRoot);
            await BuildAsync(work, SdkContainerfile(debian, revocationMode), tags.Sdk, dotnetRoot);
        }
        finally
        {
            await Podman.RunAsync("rmi", debian);
            Directory.Delete(work, recursive: true);
        }

        return tags;
    }

    // What Microsoft's aspnet image sets that the service could notice.
    private static string RuntimeContainerfile(string debian) => $"""
        FROM {debian}
        RUN mkdir -p /usr/share/dotnet/shared && cp -a /host-dotnet/dotnet /host-dotnet/host /usr/share/dotnet/ \
         && cp -a /host-dotnet/shared/Microsoft.NETCore.App /host-dotnet/shared/Microsoft.AspNetCore.App /usr/share/dotnet/shared/ \
         && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
        ENV DOTNET_RUNNING_IN_CONTAINER=true APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080
        """;

    // `dotnet restore` in the build stage must trust what this machine's package source presents.
    private static string SdkContainerfile(string debian, string? revocationMode) => $"""
        FROM {debian}
        COPY certs/ /usr/local/share/ca-certificates/
        RUN update-ca-certificates && cp -a /host-dotnet /usr/share/dotnet && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
        ENV DOTNET_RUNNING_IN_CONTAINER=true DOTNET_NOLOGO=true DOTNET_CLI_TELEMETRY_OPTOUT=1 NUGET_XMLDOC_MODE=skip
        {(string.IsNullOrEmpty(revocationMode) ? "" : $"ENV NUGET_CERT_REVOCATION_MODE={revocationMode}")}
        """;

    private static async Task BuildAsync(string context, string containerfile, string tag, string dotnetRoot)
    {
        var file = Path.Combine(context, "Containerfile");
        await File.WriteAllTextAsync(file, containerfile);
        await Podman.OutputAsync(MakeWithin, "build", "--layers=false", "--format", "docker", "--network", "host",
            "--volume", $"{dotnetRoot}:/host-dotnet:ro", "--file", file, "--tag", tag, context);
    }

    /// <summary>The SDKs and shared frameworks installed: a new patch release makes new bases.</summary>
    private static IEnumerable<string> Versions(string dotnetRoot) =>
        Directory.GetDirectories(Path.Combine(dotnetRoot, "sdk"))
            .Concat(Directory.GetDirectories(Path.Combine(dotnetRoot, "shared")).SelectMany(framework => Directory.GetDirectories(framework)))
            .Select(path => Path.GetRelativePath(dotnetRoot, path))
            .Order(StringComparer.Ordinal);

    private static string Hash(IEnumerable<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts))))[..16];

    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow + MakeWithin;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another test run is making them; it leaves them in the store for this one.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
