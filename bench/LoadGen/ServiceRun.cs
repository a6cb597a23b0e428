using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using UserServices.Tests.Infrastructure;

namespace LoadGen;

/// <summary>
/// The default run: UserServices alone, every phase of bench/README.md, with the default bcrypt gate and with the
/// gate off, and the profile with and without the session check; the table goes to bench/results/&lt;UTC timestamp&gt;.md.
/// </summary>
internal static class ServiceRun
{
    private const string Password = "correct horse battery staple 42";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(options.ResultsDir);
        var secretKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var runId = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var total = Stopwatch.StartNew();

        void Say(string message) => Console.WriteLine($"[{total.Elapsed.TotalSeconds,6:F1} s] {message}");

        async Task<PhaseResult> Phase(ServiceProcess service, string name, params LoadSpec[] loads)
        {
            var result = await Load.RunAsync(service, options.Warmup, options.Measure, loads);
            Say($"{name}: {result.Summary()}");
            return result;
        }

        Say($"bcrypt: timing BCrypt.Verify at cost {options.WorkFactor} on one core");
        var verifySeconds = VerifyTime.Bcrypt(options.WorkFactor, Password, samples: 9);
        var bound = Environment.ProcessorCount / verifySeconds;
        Say($"bcrypt: {verifySeconds * 1000:F1} ms per verify, bound {bound:F2} logins/s on {Environment.ProcessorCount} cores");

        var gated = Targets.UserServices(options, secretKey, null, Password);
        Say("migrate: dotnet UserServices.Api.dll migrate");
        await gated.Prepare!(Path.Combine(options.ResultsDir, $"{stamp}-migrate.log"));
        var database = await DatabaseCounters.OpenAsync(options.DatabaseUrl);

        var users = Enumerable.Range(0, options.Users).Select(i => $"b{runId}u{i}").ToArray();
        UserPool pool;
        PhaseResult live, ready, profile, login, register, flood, profileOpen, floodOpen;
        DatabaseUse loginDatabase;
        TimeSpan startGated, startOpen;
        long? peakGated, peakOpen;

        LoadSpec Get(string path) => new($"GET {path}", 32, System.Net.HttpStatusCode.OK, _ => new HttpRequestMessage(HttpMethod.Get, path));

        // Start → ready, five starts of a migrated service before any load (issue 26: the median of five).
        var starts = new List<TimeSpan>();
        for (var i = 1; i <= 5; i++)
        {
            await using var started = await ServiceProcess.StartAsync(gated.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-start{i}.log"), options.PidFile);
            starts.Add(started.StartToReady);
        }

        Say($"start → ready, five starts: {string.Join(", ", starts.Select(start => $"{start.TotalMilliseconds:F0} ms"))}");

        await using (var service = await ServiceProcess.StartAsync(gated.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-gated.log"), options.PidFile))
        {
            startGated = service.StartToReady;
            Say($"service (default gate) ready in {startGated.TotalMilliseconds:F0} ms, pid {service.Pid}");
            pool = await UserPool.PrepareAsync(gated, service.BaseAddress, users);
            Say($"setup: {users.Length} users registered and logged in");

            live = await Phase(service, "/health/live", Get("/health/live"));
            ready = await Phase(service, "/health/ready", Get("/health/ready"));
            profile = await Phase(service, "profile alone", pool.Profile(32));
            // Between settled snapshots of PostgreSQL's statistics (11 s of quiet each): its work per login.
            (login, loginDatabase) = await database.AroundAsync(() => Phase(service, "logins alone", pool.Login(4)));
            register = await Phase(service, "registrations", new LoadSpec(gated.RegisterName, 4, gated.Registered, n => gated.Register($"b{runId}r{n}")));
            flood = await Phase(service, "profile under login flood", pool.Profile(32), pool.Login(32));
            peakGated = service.Status("VmHWM");
        }

        var open = Targets.UserServices(options, secretKey, 1024, Password);
        await using (var service = await ServiceProcess.StartAsync(open.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-open.log"), options.PidFile))
        {
            startOpen = service.StartToReady;
            Say($"service (gate at 1024) ready in {startOpen.TotalMilliseconds:F0} ms, pid {service.Pid}");
            profileOpen = await Phase(service, "profile alone (gate off)", pool.Profile(32));
            floodOpen = await Phase(service, "profile under login flood (gate off)", pool.Profile(32), pool.Login(32));
            peakOpen = service.Status("VmHWM");
        }

        PhaseResult? profileRedis = null, loginRedis = null;
        if (options.RedisUrl is not null)
        {
            var redis = Targets.UserServices(options, secretKey, null, Password, options.RedisUrl);
            await using var service = await ServiceProcess.StartAsync(redis.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-redis.log"), options.PidFile);
            Say($"service (REDIS_URL set) ready in {service.StartToReady.TotalMilliseconds:F0} ms, pid {service.Pid}");
            profileRedis = await Phase(service, "profile alone (REDIS_URL set)", pool.Profile(32));
            loginRedis = await Phase(service, "logins alone (REDIS_URL set)", pool.Login(4));
        }

        // Registered clients make every token request authenticate a client, so these phases get a service of their own.
        using var machine = new MachineClients();
        var machineTarget = Targets.UserServices(options, secretKey, null, Password,
            extraSettings: machine.Settings(Path.Combine(options.ResultsDir, $"{stamp}-bench-key.pub.pem")));
        PhaseResult machineSecret, machineKey, introspection;
        await using (var service = await ServiceProcess.StartAsync(machineTarget.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-machine.log"), options.PidFile))
        {
            Say($"service (two client-credentials clients) ready in {service.StartToReady.TotalMilliseconds:F0} ms, pid {service.Pid}");
            machineSecret = await Phase(service, "client credentials, secret", machine.Secret(32));
            machineKey = await Phase(service, "client credentials, private_key_jwt", machine.PrivateKeyJwt(32));
            // The pool's tokens, from the first service: same key, same database, so this one judges them alike.
            introspection = await Phase(service, "introspection", machine.Introspection(32, pool.AccessTokens));
        }

        // What "a session that ends, ends at once" costs: the profile with the session read in the bearer check's
        // query and without it, two processes up side by side and measured in turns (on, off, on, off), so drift in
        // the machine's load falls on both alike.
        var sessionOn = Targets.UserServices(options, secretKey, null, Password);
        var sessionOff = Targets.UserServices(options, secretKey, null, Password, sessionCheck: false);
        var checkedPhases = new List<PhaseResult>();
        var uncheckedPhases = new List<PhaseResult>();
        await using (var withCheck = await ServiceProcess.StartAsync(sessionOn.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-session-check.log"), options.PidFile))
        await using (var withoutCheck = await ServiceProcess.StartAsync(sessionOff.Launch(FreePorts.Next()), Path.Combine(options.ResultsDir, $"{stamp}-service-no-session-check.log"), options.PidFile))
        {
            Say($"services with and without the session check ready, pids {withCheck.Pid} and {withoutCheck.Pid}");
            for (var turn = 1; turn <= 2; turn++)
            {
                checkedPhases.Add(await Phase(withCheck, $"profile alone, session check on ({turn})", pool.Profile(32)));
                uncheckedPhases.Add(await Phase(withoutCheck, $"profile alone, session check off ({turn})", pool.Profile(32)));
            }
        }

        var sizing = await new SizingRun(options, stamp, secretKey, runId, Password, database, Say).RunAsync();

        var report = new Report(options, stamp, loadBefore, File.ReadAllText("/proc/loadavg").Trim(), total.Elapsed, verifySeconds, bound)
        {
            Live = live,
            Ready = ready,
            Profile = profile,
            Login = login,
            Register = register,
            Flood = flood,
            ProfileOpen = profileOpen,
            FloodOpen = floodOpen,
            StartGated = startGated,
            StartOpen = startOpen,
            Starts = starts,
            PeakGatedKb = peakGated,
            PeakOpenKb = peakOpen,
            ProfileRedis = profileRedis,
            LoginRedis = loginRedis,
            SessionCheckOn = checkedPhases,
            SessionCheckOff = uncheckedPhases,
            MachineSecret = machineSecret,
            MachineKey = machineKey,
            Introspection = introspection,
            LoginDatabase = loginDatabase,
            Sizing = sizing,
        };
        var markdown = report.Render();
        var path = Path.Combine(options.ResultsDir, $"{stamp}.md");
        await File.WriteAllTextAsync(path, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Say($"written to {path}");
        return report.AllPassed ? 0 : 3;
    }
}
