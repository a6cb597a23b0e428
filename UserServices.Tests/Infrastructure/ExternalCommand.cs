using System.Diagnostics;

namespace UserServices.Tests.Infrastructure;

/// <summary>A machine tool (podman, mmdebstrap…) run to its end with a deadline, everything it printed kept.</summary>
public static class ExternalCommand
{
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan within)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
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
