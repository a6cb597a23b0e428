using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// Debian's nginx running <c>deploy/nginx.conf</c> as shipped, with only what the file's header names substituted:
/// the upstream servers, the listen address (a free loopback port) and the paths (a temporary folder, so it needs
/// neither root nor /var). Started in the foreground (<c>daemon off</c>) and stopped with SIGTERM.
/// </summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private NginxServer(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The shipped configuration, copied next to the test assembly by the test project.</summary>
    public static string ShippedConfiguration => Path.Combine(AppContext.BaseDirectory, "deploy", "nginx.conf");

    private static readonly string[] TempFolders = ["body", "proxy", "fastcgi", "uwsgi", "scgi"];

    private static readonly string[] Binaries = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"];

    public static string? FindBinary() => Binaries.FirstOrDefault(File.Exists);

    public static async Task<NginxServer> StartAsync(IReadOnlyList<int> upstreamPorts)
    {
        var binary = FindBinary() ?? throw new InvalidOperationException("nginx not found: `apt-get install nginx-light`.");
        var directory = Directory.CreateTempSubdirectory("userservices-nginx-").FullName;
        // Started as root, nginx's workers run as www-data: they must reach the temporary files.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (var temp in TempFolders)
            {
                File.SetUnixFileMode(Directory.CreateDirectory(Path.Combine(directory, temp)).FullName, (UnixFileMode)0b111_111_111);
            }
        }

        var port = FreePorts.Next();
        var configuration = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configuration, Render(await File.ReadAllTextAsync(ShippedConfiguration), directory, port, upstreamPorts));

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { "-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", configuration, "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20), () => process.HasExited);
        if (process.HasExited)
        {
            var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : "";
            throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {log}");
        }

        return new NginxServer(directory, process, port);
    }

    /// <summary>The substitutions the header of deploy/nginx.conf lists, each required to match (a changed file fails here, not in a test).</summary>
    internal static string Render(string shipped, string directory, int port, IReadOnlyList<int> upstreamPorts)
    {
        var rendered = shipped;
        rendered = ReplaceOnce(rendered, PidLine(), $"pid {directory}/nginx.pid;");
        rendered = ReplaceOnce(rendered, ErrorLogLine(), $"error_log {directory}/error.log warn;");
        rendered = ReplaceOnce(rendered, AccessLogLine(), $"access_log {directory}/access.log;");
        rendered = ReplaceOnce(rendered, ListenLine(), string.Create(CultureInfo.InvariantCulture, $"listen 127.0.0.1:{port};"));
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            var folder = temp == "client_body" ? "body" : temp;
            rendered = ReplaceOnce(rendered, new Regex($@"{temp}_temp_path /var/lib/nginx/{folder};"), $"{temp}_temp_path {directory}/{folder};");
        }

        var servers = UpstreamServerLine().Matches(rendered);
        if (servers.Count == 0)
        {
            throw new InvalidOperationException("deploy/nginx.conf: no `server 127.0.0.1:800N …;` line in the upstream.");
        }

        var first = servers[0];
        var lines = string.Concat(upstreamPorts.Select(upstream =>
            string.Create(CultureInfo.InvariantCulture, $"{first.Groups["indent"].Value}server 127.0.0.1:{upstream}{first.Groups["parameters"].Value};\n")));
        var seen = 0;
        return UpstreamServerLine().Replace(rendered, _ => seen++ == 0 ? lines : "");
    }

    private static string ReplaceOnce(string text, Regex pattern, string replacement)
    {
        var count = pattern.Count(text);
        if (count != 1)
        {
            throw new InvalidOperationException($"deploy/nginx.conf: expected one line matching `{pattern}`, found {count}.");
        }

        return pattern.Replace(text, replacement.Replace("$", "$$", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, not SIGKILL: the master then stops its workers, which would otherwise keep the port.
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"pid /run/nginx\.pid;")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"error_log /var/log/nginx/error\.log warn;")]
    private static partial Regex ErrorLogLine();

    [GeneratedRegex(@"access_log /var/log/nginx/userservices\.access\.log;")]
    private static partial Regex AccessLogLine();

    [GeneratedRegex(@"listen 80;")]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"(?<indent>[ \t]*)server 127\.0\.0\.1:800\d(?<parameters>[^;]*);\n?", RegexOptions.Multiline)]
    private static partial Regex UpstreamServerLine();
}
