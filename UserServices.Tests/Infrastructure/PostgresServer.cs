using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

[assembly: AssemblyFixture(typeof(UserServices.Tests.Infrastructure.PostgresServer))]

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL cluster for the whole test run, started from the machine's binaries on a free
/// loopback port (as the <c>postgres</c> user when running as root) and removed afterwards. TEST_DATABASE_URL
/// points the tests at an existing server instead. Each test class asks it for a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataRoot;
    private string? _binDir;
    private int _databaseCounter;

    /// <summary>Connection string of the maintenance database, with rights to create databases.</summary>
    public string AdminConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("TEST_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = UserServices.Api.Database.DatabaseUrl.Parse(external).ConnectionString;
            return;
        }

        _binDir = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with `apt-get install postgresql`, or set TEST_DATABASE_URL.");
        _dataRoot = Directory.CreateTempSubdirectory("userservices-pg-").FullName;
        var dataDir = Path.Combine(_dataRoot, "data");
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"-R postgres:postgres {_dataRoot}");
        }

        await RunPostgresToolAsync(asRoot, "initdb", $"-D {dataDir} -U postgres -A trust --no-sync --encoding=UTF8 --locale=C");
        var options = $"-p {port} -k {_dataRoot} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunPostgresToolAsync(asRoot, "pg_ctl", $"-D {dataDir} -l {Path.Combine(_dataRoot, "server.log")} -w -t 60 -o \"{options}\" start");
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>Creates an empty database and returns its DATABASE_URL in the form operators use.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}_{Interlocked.Increment(ref _databaseCounter)}_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true };
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataRoot is null || _binDir is null)
        {
            return;
        }

        try
        {
            await RunPostgresToolAsync(Environment.UserName == "root", "pg_ctl", $"-D {Path.Combine(_dataRoot, "data")} -m immediate -w stop");
        }
        finally
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresToolAsync(bool asRoot, string tool, string arguments) => asRoot
        // PostgreSQL refuses to run as root; runuser switches to its own system user.
        ? RunAsync("runuser", $"-u postgres -- {Path.Combine(_binDir!, tool)} {arguments}")
        : RunAsync(Path.Combine(_binDir!, tool), arguments);

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
