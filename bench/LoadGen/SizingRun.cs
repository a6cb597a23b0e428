using System.Diagnostics;
using System.Globalization;
using UserServices.Tests.Infrastructure;

namespace LoadGen;

/// <summary>
/// The phases of the sizing table (issue 26) that need services of their own: logins at bcrypt cost 10 and 11,
/// refreshes, and MFA second steps. Each service shares the run's database and <c>SECRET_KEY</c>.
/// </summary>
internal sealed class SizingRun(BenchOptions options, string stamp, string secretKey, string runId, string password, DatabaseCounters database, Action<string> say)
{
    /// <summary>Accounts of the measured MFA phase, each signed in once: two or three seconds of second steps.</summary>
    public const int MfaUsers = 1000;

    /// <summary>
    /// Accounts signed in first and not counted: the service's first second steps compile their queries and JIT their
    /// code, which a count of single-use requests cannot leave to a warm-up window.
    /// </summary>
    private const int MfaWarmupUsers = 200;

    /// <summary>Registration and every bcrypt of the MFA setup at the cheapest cost; the second step itself runs none.</summary>
    private const int MfaWorkFactor = 4;

    private const int Connections = 32;

    public async Task<SizingResult> RunAsync()
    {
        var costLogins = new List<(int, double, PhaseResult)>();
        PhaseResult? refresh = null;
        DatabaseUse? refreshDatabase = null;
        foreach (var cost in new[] { 10, 11 })
        {
            var verify = VerifyTime.Bcrypt(cost, password, samples: 9);
            say(string.Create(CultureInfo.InvariantCulture, $"bcrypt: {verify * 1000:F1} ms per verify at cost {cost}"));
            var target = Targets.UserServices(options, secretKey, null, password, workFactor: cost);
            await using var service = await StartAsync(target, $"cost{cost}", $"BCRYPT_WORK_FACTOR={cost}");
            // Registered on this service, so each hash is at its cost (a cheaper or dearer one would be rehashed at login).
            var users = Enumerable.Range(0, options.Users).Select(i => $"b{runId}c{cost}u{i}").ToArray();
            var pool = await UserPool.PrepareAsync(target, service.BaseAddress, users, signIn: false);
            costLogins.Add((cost, verify, await PhaseAsync(service, $"logins alone, cost {cost}", pool.Login(4))));
            if (refresh is null)
            {
                (refresh, refreshDatabase) = await RefreshAsync(target, service, users);
            }
        }

        var (mfa, mfaSetup) = await MfaAsync();
        return new SizingResult(costLogins, refresh!, refreshDatabase!, mfa, mfaSetup);
    }

    /// <summary>Refreshes at 32 connections, one session each, between two settled snapshots of PostgreSQL's statistics.</summary>
    private async Task<(PhaseResult, DatabaseUse)> RefreshAsync(Target target, ServiceProcess service, string[] users)
    {
        var chains = await RefreshChains.SignInAsync(target, service.BaseAddress, users, Connections);
        say($"setup: {Connections} sessions signed in for the refresh chains");
        return await database.AroundAsync(() => PhaseAsync(service, "refreshes", chains.Load()));
    }

    private async Task<(PhaseResult, TimeSpan)> MfaAsync()
    {
        var target = Targets.UserServices(options, secretKey, null, password, workFactor: MfaWorkFactor);
        await using var service = await StartAsync(target, "mfa", $"BCRYPT_WORK_FACTOR={MfaWorkFactor}");
        var setup = Stopwatch.StartNew();
        var users = Enumerable.Range(0, MfaWarmupUsers + MfaUsers).Select(i => $"b{runId}m{i}").ToArray();
        var pool = await MfaPool.PrepareAsync(target, service.BaseAddress, password, users);
        var setupTime = setup.Elapsed;
        say(string.Create(CultureInfo.InvariantCulture, $"setup: {pool.Count} accounts registered, enrolled in TOTP and past the password step in {setupTime.TotalSeconds:F1} s"));
        var warmup = await Load.RunCountedAsync(service, pool.SecondSteps(Connections, 0, MfaWarmupUsers));
        say($"MFA second steps, warm-up (not counted): {warmup.Summary()}");
        var result = await Load.RunCountedAsync(service, pool.SecondSteps(Connections, MfaWarmupUsers, MfaUsers));
        say($"MFA second steps: {result.Summary()}");
        return (result, setupTime);
    }

    private async Task<ServiceProcess> StartAsync(Target target, string name, string what)
    {
        var service = await ServiceProcess.StartAsync(target.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-{name}.log"), options.PidFile);
        say($"service ({what}) ready in {service.StartToReady.TotalMilliseconds:F0} ms, pid {service.Pid}");
        return service;
    }

    private async Task<PhaseResult> PhaseAsync(ServiceProcess service, string name, LoadSpec load)
    {
        var result = await Load.RunAsync(service, options.Warmup, options.Measure, load);
        say($"{name}: {result.Summary()}");
        return result;
    }
}
