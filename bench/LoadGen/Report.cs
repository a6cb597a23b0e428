using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace LoadGen;

/// <summary>The markdown table of one run: raw figures per phase, then the derived figures against their targets.</summary>
internal sealed class Report(BenchOptions options, string stamp, string loadBefore, string loadAfter, TimeSpan duration, double verifySeconds, double bound)
{
    private readonly List<bool> _verdicts = [];

    public required PhaseResult Live { get; init; }
    public required PhaseResult Ready { get; init; }
    public required PhaseResult Profile { get; init; }
    public required PhaseResult Login { get; init; }
    public required PhaseResult Register { get; init; }
    public required PhaseResult Flood { get; init; }
    public required PhaseResult ProfileOpen { get; init; }
    public required PhaseResult FloodOpen { get; init; }
    public required TimeSpan StartGated { get; init; }
    public required TimeSpan StartOpen { get; init; }
    public required IReadOnlyList<TimeSpan> Starts { get; init; }
    public required long? PeakGatedKb { get; init; }
    public required long? PeakOpenKb { get; init; }
    public PhaseResult? ProfileRedis { get; init; }
    public PhaseResult? LoginRedis { get; init; }
    public required IReadOnlyList<PhaseResult> SessionCheckOn { get; init; }
    public required IReadOnlyList<PhaseResult> SessionCheckOff { get; init; }
    public required PhaseResult MachineSecret { get; init; }
    public required PhaseResult MachineKey { get; init; }
    public required PhaseResult Introspection { get; init; }
    public required DatabaseUse LoginDatabase { get; init; }
    public required SizingResult Sizing { get; init; }

    public bool AllPassed => _verdicts.All(passed => passed);

    /// <summary>One Verify at the run's cost (<c>--work-factor</c>), one core, median of 9.</summary>
    public double VerifySeconds => verifySeconds;

    public string Render()
    {
        const string ProfileName = "GET /user/user";
        const string LoginName = "POST /user/token";
        var text = new StringBuilder();
        text.AppendLine(Inv($"# UserServices benchmark, {stamp}"));
        text.AppendLine();
        text.AppendLine(Inv($"- Machine: {Environment.ProcessorCount} cores (nproc), {CpuModel()}, {MemoryGb():F1} GB memory; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}"));
        text.AppendLine(Inv($"- Load average (1/5/15 min, runnable/total, last pid) before: `{loadBefore}`, after: `{loadAfter}`"));
        text.AppendLine(Inv($"- Command: `{options.CommandLine}`; each phase {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Measure.TotalSeconds:0.#} s measured; whole load run {duration.TotalSeconds:F0} s"));
        text.AppendLine(Inv($"- Service: Release `dotnet UserServices.Api.dll`, PostgreSQL on 127.0.0.1, BCRYPT_WORK_FACTOR={options.WorkFactor}, rate limits out of reach, {options.Users} users in the login/profile pool; load from a second process over loopback"));
        text.AppendLine(Inv($"- Only requests completed inside the measured window count; p50/p99 by nearest rank over every successful request; errors are any other status or a failed request. CPU columns: cores used on average over the window (of the machine's {Environment.ProcessorCount}; what the service did not get went to PostgreSQL, the load generator and anything else running)."));
        text.AppendLine();
        text.AppendLine("| Phase | Load | Conns | Per second | p50 ms | p99 ms | max ms | Errors | Service CPU | Service CPU ms per request | LoadGen CPU | Service threads (max) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Rows(text, "5. bare framework", Live);
        Rows(text, "5. one DB round trip", Ready);
        Rows(text, "1. profile alone", Profile);
        Rows(text, "2. logins alone", Login);
        Rows(text, "3. registrations", Register);
        Rows(text, "4. login flood, default gate", Flood);
        Rows(text, "4. profile alone, gate off (1024)", ProfileOpen);
        Rows(text, "4. login flood, gate off (1024)", FloodOpen);
        if (ProfileRedis is not null && LoginRedis is not null)
        {
            Rows(text, "6. profile alone, REDIS_URL set", ProfileRedis);
            Rows(text, "6. logins alone, REDIS_URL set", LoginRedis);
        }

        Rows(text, "7. client credentials, secret", MachineSecret);
        Rows(text, "7. client credentials, private_key_jwt", MachineKey);

        for (var turn = 0; turn < SessionCheckOn.Count; turn++)
        {
            Rows(text, Inv($"8. profile alone, session check on ({turn + 1})"), SessionCheckOn[turn]);
            Rows(text, Inv($"8. profile alone, session check off ({turn + 1})"), SessionCheckOff[turn]);
        }

        SizingReport.Rows(text, this);

        var errors = new[] { Live, Ready, Profile, Login, Register, Flood, ProfileOpen, FloodOpen, ProfileRedis, LoginRedis, MachineSecret, MachineKey, Introspection, Sizing.Refresh, Sizing.Mfa }
            .Concat(Sizing.CostLogins.Select(cost => cost.Logins)).Concat(SessionCheckOn).Concat(SessionCheckOff).OfType<PhaseResult>().SelectMany(phase => phase.Loads).Where(load => load.Errors > 0).ToList();
        foreach (var load in errors)
        {
            text.AppendLine();
            text.AppendLine(Inv($"First error of {load.Name} ({load.Errors} in all): `{load.FirstError}`"));
        }

        text.AppendLine();
        text.AppendLine("| Figure | Value | Target | Result |");
        text.AppendLine("|---|---:|---|---|");
        Info(text, Inv($"bcrypt: one Verify at cost {options.WorkFactor}, one core (median of 9)"), Inv($"{verifySeconds * 1000:F1} ms"));
        Info(text, Inv($"bcrypt bound = {Environment.ProcessorCount} cores ÷ verify time"), Inv($"{bound:F2} logins/s"));
        Target(text, "2. logins/s ÷ bound (4 conns)", Login[LoginName].PerSecond / bound, "≥ 0.90", value => value >= 0.90);
        // Robust to a busy machine: does the service turn the CPU it gets into logins as well as bare bcrypt would?
        Info(text, "2. logins/s ÷ (service cores used ÷ verify time)", Ratio(Login[LoginName].PerSecond / (Login.ServiceCores / verifySeconds)));
        Info(text, "3. registrations/s ÷ bound", Ratio(Register["POST /user/register"].PerSecond / bound));
        Target(text, "1/5. profile rps ÷ /health/ready rps", Profile[ProfileName].PerSecond / Ready["GET /health/ready"].PerSecond, "≥ 0.6", value => value >= 0.6);
        Info(text, "5. /health/ready rps ÷ /health/live rps", Ratio(Ready["GET /health/ready"].PerSecond / Live["GET /health/live"].PerSecond));
        FloodTargets(text, "default gate", Profile, Flood);
        FloodTargets(text, "gate off", ProfileOpen, FloodOpen);
        Target(text, "6. peak RSS (VmHWM), default gate, MB", Megabytes(PeakGatedKb), "≤ 150", value => value <= 150);
        Target(text, "6. peak RSS (VmHWM), gate off, MB", Megabytes(PeakOpenKb), "≤ 150", value => value <= 150);
        var starts = Starts.Select(start => start.TotalSeconds).Order().ToArray();
        Info(text, "6. process start → first 200 from /health/ready, five starts before any load, s", string.Join(", ", starts.Select(start => Inv($"{start:F2}"))));
        Target(text, "6. process start → first 200 from /health/ready, median of those five, s", starts[starts.Length / 2], "≤ 1.5", value => value <= 1.5);
        Info(text, "6. process start → ready of the phases' services, s (default gate / gate off)", Inv($"{StartGated.TotalSeconds:F2} / {StartOpen.TotalSeconds:F2}"));
        Target(text, "7. client-credentials tokens/s, client_secret_basic (32 conns)", MachineSecret[MachineClients.SecretName].PerSecond, "≥ 1500", value => value >= 1500);
        Target(text, "7. client-credentials tokens/s, private_key_jwt (32 conns; one assertion row each)", MachineKey[MachineClients.KeyName].PerSecond, "≥ 1500", value => value >= 1500);
        // Summed over the turns: each turn's windows are as long, so this is the ratio of the mean rates.
        Target(text, "8. profile rps with the session check ÷ without (turns summed)",
            SessionCheckOn.Sum(phase => phase[ProfileName].PerSecond) / SessionCheckOff.Sum(phase => phase[ProfileName].PerSecond), "≥ 0.90", value => value >= 0.90);
        Info(text, "MB", "10⁶ bytes; the service's peak over its whole life (start, setup and every phase it served)");
        SizingReport.Figures(text, this, options.WorkFactor);
        SizingReport.Tables(text, this, options.WorkFactor);

        if (options.MicroReport is { } micro && File.Exists(micro))
        {
            text.AppendLine();
            text.AppendLine("## 7. In-process micro-benchmarks (BenchmarkDotNet)");
            text.AppendLine();
            text.AppendLine(File.ReadAllText(micro).Trim());
        }

        return text.ToString();

        void FloodTargets(StringBuilder table, string label, PhaseResult alone, PhaseResult flood)
        {
            var profileAlone = alone[ProfileName];
            var profileFlooded = flood[ProfileName];
            Target(table, Inv($"4. {label}: profile p99 under flood ÷ alone"), profileFlooded.P99Ms / profileAlone.P99Ms, "≤ 3", value => value <= 3);
            Target(table, Inv($"4. {label}: profile rps under flood ÷ alone"), profileFlooded.PerSecond / profileAlone.PerSecond, "≥ 0.3", value => value >= 0.3);
            Target(table, Inv($"4. {label}: logins/s under flood ÷ bound"), flood[LoginName].PerSecond / bound, "≥ 0.5", value => value >= 0.5);
        }
    }

    internal static void Rows(StringBuilder text, string phase, PhaseResult result)
    {
        foreach (var load in result.Loads)
        {
            // CPU per request only where one load ran: under the flood the service's CPU is shared by two.
            var perRequest = result.ServiceCpuMsPerRequest is { } ms ? Inv($"{ms:F3}") : "—";
            text.AppendLine(Inv($"| {phase} | {load.Name} | {load.Connections} | {load.PerSecond:F1} | {load.P50Ms:F2} | {load.P99Ms:F2} | {load.MaxMs:F1} | {load.Errors} | {result.ServiceCores:F2} | {perRequest} | {result.LoadGenCores:F2} | {result.MaxServiceThreads} |"));
        }
    }

    internal static void Info(StringBuilder text, string figure, string value) => text.AppendLine(Inv($"| {figure} | {value} | — | info |"));

    private void Target(StringBuilder text, string figure, double value, string target, Func<double, bool> passes)
    {
        // A figure that could not be measured (NaN) fails.
        var passed = !double.IsNaN(value) && passes(value);
        _verdicts.Add(passed);
        text.AppendLine(Inv($"| {figure} | {value:F2} | {target} | {(passed ? "PASS" : "**FAIL**")} |"));
    }

    private static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static double Megabytes(long? kilobytes) => kilobytes is { } kb ? kb * 1024 / 1e6 : double.NaN;

    internal static string CpuModel() => File.ReadLines("/proc/cpuinfo")
        .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    internal static double MemoryGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(line => line.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024 / 1e9;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
