namespace UserServices.Tests.Infrastructure;

/// <summary>
/// podman as it works on these machines (no Docker engine, no registry): the runc runtime and cgroupfs, since crun
/// fails on hybrid cgroups and there is no systemd to manage cgroups; <c>/etc/containers/containers.conf</c> sets
/// <c>default_ulimits = []</c> (<c>.ci/run</c> writes it), as the sandbox refuses to raise RLIMIT_NOFILE.
/// </summary>
public static class Podman
{
    private static readonly string[] GlobalOptions = ["--runtime", "runc", "--cgroup-manager", "cgroupfs"];
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromMinutes(2);

    public static bool IsInstalled => File.Exists("/usr/bin/podman");

    public static Task<ProcessResult> RunAsync(TimeSpan within, params string[] arguments) =>
        ExternalCommand.RunAsync("podman", [.. GlobalOptions, .. arguments], within);

    public static Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(DefaultWithin, arguments);

    /// <summary>Standard output, trimmed; an exit other than 0 throws with everything podman printed.</summary>
    public static async Task<string> OutputAsync(TimeSpan within, params string[] arguments) =>
        (await ExternalCommand.OutputAsync("podman", [.. GlobalOptions, .. arguments], within)).Trim();

    public static Task<string> OutputAsync(params string[] arguments) => OutputAsync(DefaultWithin, arguments);

    public static async Task<bool> ImageExistsAsync(string image) => (await RunAsync("image", "exists", image)).ExitCode == 0;
}
