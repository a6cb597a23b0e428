using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using UserServices.Tests.Infrastructure;

namespace LoadGen;

/// <summary>
/// <c>LoadGen peers</c>: UserServices and the peers (the Python original, Identity's MapIdentityApi) measured one
/// after the other in one run, each alone on the machine, by the same loads; one table for all three.
/// </summary>
internal static class PeersRun
{
    // Accepted by every password policy here: Identity's default wants an upper-case letter, a digit and a symbol.
    private const string Password = "Correct horse battery staple 42";
    public const int ProfileConnections = 32;
    public const int LoginConnections = 4;
    public const int WarmFloodConnections = 16;
    public static readonly IReadOnlyList<int> ColdFloodConnections = [16, 32];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(options.ResultsDir);
        var secretKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var runId = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var users = Enumerable.Range(0, options.Users).Select(i => $"p{runId}u{i}").ToArray();
        var loadBefore = LoadAverage();
        var total = Stopwatch.StartNew();

        void Say(string message) => Console.WriteLine($"[{total.Elapsed.TotalSeconds,6:F1} s] {message}");

        List<Target> targets = [Targets.UserServices(options, secretKey, null, Password)];
        if (options.SeedDir is { } seed)
        {
            targets.Add(Targets.SeedFastApi(seed, options.Python, Password));
        }

        if (options.IdentityDir is { } identity)
        {
            targets.Add(Targets.IdentityApi(identity, options.IdentityDatabase!, Password));
        }

        var results = targets.Select(target => new TargetResult(target)).ToList();

        foreach (var result in results)
        {
            try
            {
                await MeasureAsync(result);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or KeyNotFoundException or TaskCanceledException or System.Text.Json.JsonException or System.ComponentModel.Win32Exception or FormatException)
            {
                result.Failure = e.Message;
                Say($"{result.Target.Name}: FAILED: {e.Message}");
            }
        }

        var markdown = new PeersReport(options, stamp, loadBefore, LoadAverage(), total.Elapsed, results).Render();
        var path = Path.Combine(options.ResultsDir, $"{stamp}-peers.md");
        await File.WriteAllTextAsync(path, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Say($"written to {path}");
        return results.Any(result => result.Failure is not null) ? 1 : 0;

        async Task MeasureAsync(TargetResult result)
        {
            var target = result.Target;
            result.LoadBefore = LoadAverage();
            Say($"{target.Name}: load average {result.LoadBefore}");
            // Timed at the start of the service's turn, not once for all: on a shared machine the CPU a core gives
            // drifts, and the bound should be what the same minutes allowed.
            result.VerifySeconds = target.MeasureVerifySeconds();
            Say($"{target.Name}: {target.PasswordCheck}: {result.VerifySeconds * 1000:F1} ms per verify, bound {result.Bound:F2} logins/s");
            if (target.Prepare is { } prepare)
            {
                await prepare(Log(target, "prepare"));
            }

            UserPool pool;
            await using (var service = await StartAsync(result, "warm"))
            {
                pool = await UserPool.PrepareAsync(target, service.BaseAddress, users);
                Say($"{target.Name}: {users.Length} users registered and logged in");
                result.Profile = await Phase(service, target, "profile alone", options.Warmup, pool.Profile(ProfileConnections));
                result.Logins = await Phase(service, target, "logins alone", options.Warmup, pool.Login(LoginConnections));
                // Each request a new account: one password hash at the same cost as a login's verification.
                result.Registrations = await Phase(service, target, "registrations alone", options.Warmup,
                    new LoadSpec(target.RegisterName, LoginConnections, target.Registered, n => target.Register($"p{runId}r{n}")));
                result.WarmFlood = await Phase(service, target, "warm login flood", options.Warmup, pool.Profile(ProfileConnections), pool.Login(WarmFloodConnections));
                result.RecordPeak(service);
            }

            foreach (var connections in ColdFloodConnections)
            {
                // A fresh process: its readiness probe and the profile are all it has served when the flood begins.
                await using var service = await StartAsync(result, $"cold{connections}");
                var alone = await Phase(service, target, "profile alone, fresh process", options.Warmup, pool.Profile(ProfileConnections));
                var cold = pool.Login(connections) with { StartsWithWindow = true };
                var flood = await Phase(service, target, $"cold login flood ({connections})", options.Warmup, pool.Profile(ProfileConnections), cold);
                result.ColdFloods[connections] = (alone, flood);
                result.RecordPeak(service);
            }

            result.LoadAfter = LoadAverage();
        }

        async Task<ServiceProcess> StartAsync(TargetResult result, string label)
        {
            var service = await ServiceProcess.StartAsync(result.Target.Launch(FreePorts.Next()), Log(result.Target, label), options.PidFile);
            result.StartsToReady.Add(service.StartToReady);
            Say($"{result.Target.Name}: started ({label}), ready in {service.StartToReady.TotalMilliseconds:F0} ms, pid {service.Pid}");
            return service;
        }

        async Task<PhaseResult> Phase(ServiceProcess service, Target target, string name, TimeSpan warmup, params LoadSpec[] loads)
        {
            var result = await Load.RunAsync(service, warmup, options.Measure, loads);
            Say($"{target.Name}: {name}: {result.Summary()}");
            return result;
        }

        string Log(Target target, string label) => Path.Combine(options.ResultsDir, $"{stamp}-{target.Name}-{label}.log");
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
