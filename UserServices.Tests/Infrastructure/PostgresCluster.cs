using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster started from the machine's binaries (<c>initdb</c> + <c>pg_ctl</c>) on a free
/// loopback port, as the <c>postgres</c> user when running as root, tuned for speed over durability. The tests'
/// <c>PostgresServer</c> and the benchmark (bench/LoadGen links this file) both start PostgreSQL through
/// this class, so the two cannot drift apart. It needs nothing but the base class library.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    // Throwaway data: durability off, as the benchmark's numbers are meant to show the service, not the disk.
    private const string Settings = "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";

    private readonly string _settings;

    private PostgresCluster(string binDirectory, string root, int port, string settings)
    {
        BinDirectory = binDirectory;
        Root = root;
        Port = port;
        _settings = settings;
    }

    /// <summary>The folder of the server binaries this cluster runs (initdb, pg_ctl, createdb).</summary>
    public string BinDirectory { get; }

    /// <summary>The folder holding <c>data/</c>, <c>server.log</c> and the Unix socket; removed when stopped.</summary>
    public string Root { get; }

    public int Port { get; }

    /// <summary>Keyword connection string of the <c>postgres</c> maintenance database as the superuser (trust auth).</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");

    /// <summary>
    /// Creates and starts a cluster in <paramref name="root"/> (an empty or missing folder whose parents the
    /// <c>postgres</c> user can traverse), or in a new temporary folder.
    /// </summary>
    /// <param name="preloadLibraries">
    /// <c>shared_preload_libraries</c>, e.g. <c>pg_stat_statements</c> for the benchmark's statement counts; the tests
    /// pass none, so their server is the plain one.
    /// </param>
    public static async Task<PostgresCluster> StartAsync(string? root = null, string? preloadLibraries = null)
    {
        var binDir = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with `apt-get install postgresql`.");
        root = root is null ? Directory.CreateTempSubdirectory("userservices-pg-").FullName : Directory.CreateDirectory(root).FullName;
        if (AsRoot)
        {
            await RunAsync("chown", $"-R postgres:postgres {root}");
        }

        var dataDir = Path.Combine(root, "data");
        await RunPostgresToolAsync(binDir, "initdb", $"-D {dataDir} -U postgres -A trust --no-sync --encoding=UTF8 --locale=C");
        // A port found free can be taken before pg_ctl binds it; another one is tried then.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            try
            {
                var settings = string.IsNullOrEmpty(preloadLibraries) ? Settings : $"{Settings} -c shared_preload_libraries={preloadLibraries}";
                var cluster = new PostgresCluster(binDir, root, port, settings);
                await cluster.StartServerAsync();
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Starts the server on <see cref="Port"/>: at creation, and again after <see cref="StopServerAsync"/>.</summary>
    public Task StartServerAsync() => RunPostgresToolAsync(BinDirectory, "pg_ctl",
        $"-D {Path.Combine(Root, "data")} -l {Path.Combine(Root, "server.log")} -w -t 60 -o \"-p {Port} -k {Root} {_settings}\" start");

    /// <summary>An outage: the server stops (its open connections are cut) and keeps its data for a restart.</summary>
    public Task StopServerAsync() => RunPostgresToolAsync(BinDirectory, "pg_ctl", $"-D {Path.Combine(Root, "data")} -m fast -w stop");

    /// <summary>Creates an empty database with the cluster's <c>createdb</c>.</summary>
    public Task CreateDatabaseAsync(string name) =>
        RunAsync(Path.Combine(BinDirectory, "createdb"), string.Create(CultureInfo.InvariantCulture, $"-h 127.0.0.1 -p {Port} -U postgres {name}"));

    /// <summary>Stops the cluster in <paramref name="root"/> (if it runs) and deletes the folder: also from another process.</summary>
    public static async Task StopAsync(string root)
    {
        try
        {
            if (File.Exists(Path.Combine(root, "data", "postmaster.pid")) && FindBinaries() is { } binDir)
            {
                await RunPostgresToolAsync(binDir, "pg_ctl", $"-D {Path.Combine(root, "data")} -m immediate -w stop");
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(Root);

    /// <summary>The folder with initdb and pg_ctl: on PATH, else Debian's newest versioned folder.</summary>
    public static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            // A link on PATH (e.g. /usr/local/bin/initdb): the folder it points into also holds createdb.
            var initdb = new FileInfo(Path.Combine(onPath, "initdb"));
            return Path.GetDirectoryName(initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName);
        }

        // Debian keeps the server binaries off PATH, one folder per major version.
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => bin, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
    }

    private static bool AsRoot => Environment.UserName == "root";

    private static Task RunPostgresToolAsync(string binDir, string tool, string arguments) => AsRoot
        // PostgreSQL refuses to run as root; runuser switches to its own system user.
        ? RunAsync("runuser", $"-u postgres -- {Path.Combine(binDir, tool)} {arguments}")
        : RunAsync(Path.Combine(binDir, tool), arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
