using System.Diagnostics;
using UserServices.Api.Hosting;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The built service run as an operator runs it (<c>dotnet UserServices.Api.dll [command]</c>), as a child process
/// with only the settings given here, in an empty working directory (no <c>.env</c>, no stray SQLite file).
/// </summary>
public static class ApiProcess
{
    /// <summary>The test project references the API, so its dll and runtimeconfig sit next to the test assembly.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "UserServices.Api.dll");

    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("userservices-run-").FullName;
        try
        {
            using var process = Process.Start(StartInfo(environment, workingDirectory, arguments)) ?? throw new InvalidOperationException("Could not start dotnet.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`dotnet UserServices.Api.dll {string.Join(' ', arguments)}` did not exit within 60 s.");
            }

            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>How the built service is started: only the given settings, in <paramref name="workingDirectory"/>.</summary>
    internal static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, string workingDirectory, params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(!string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(IsServiceSetting).ToArray())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    // The test runner's own environment must not configure the child: only what the test gives it. Every variable
    // the service reads by its old name comes from the service's own table, so a new one cannot leak in.
    private static bool IsServiceSetting(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal)
        || key.Contains("__", StringComparison.Ordinal)
        || key is "DOTNET_ENVIRONMENT" or "DOTNET_SHUTDOWNTIMEOUTSECONDS"
        || SettingAliases.ByVariable.ContainsKey(key);
}
