using System.Diagnostics;

namespace UserServices.Tests.Infrastructure;

/// <summary>A machine tool (podman, mmdebstrap…) run to its end with a deadline, everything it printed kept.</summary>
public static class ExternalCommand
{
    /// <param name="environment">Variables to set (a null value removes one) on top of this process's.</param>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan within,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', start.ArgumentList)}` did not end within {within.TotalSeconds} s.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs it and returns its standard output; any exit but 0 throws with everything it printed.</summary>
    public static async Task<string> OutputAsync(string file, IEnumerable<string> arguments, TimeSpan within)
    {
        var result = await RunAsync(file, arguments, within);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` failed: {result}");
    }
}
