using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace LoadGen;

/// <summary>
/// The one table of <c>LoadGen peers</c>: a row per figure, a column per service, then UserServices ÷ each peer.
/// </summary>
internal sealed class PeersReport(BenchOptions options, string stamp, string loadBefore, string loadAfter, TimeSpan duration, IReadOnlyList<TargetResult> results)
{
    public string Render()
    {
        var text = new StringBuilder();
        var ours = results[0];
        var peers = results.Skip(1).ToList();
        text.AppendLine(Inv($"# UserServices and its peers side by side, {stamp}"));
        text.AppendLine();
        text.AppendLine(Inv($"- Machine: {Environment.ProcessorCount} cores (nproc), {Report.CpuModel()}, {Report.MemoryGb():F1} GB memory; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}"));
        text.AppendLine(Inv($"- Command: `{options.CommandLine}`; each phase {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Measure.TotalSeconds:0.#} s measured; whole load run {duration.TotalSeconds:F0} s"));
        text.AppendLine(Inv($"- Load average (1/5/15 min, runnable/total, last pid) before: `{loadBefore}`, after: `{loadAfter}`; per service, before → after its turn: {string.Join("; ", results.Select(r => Inv($"{r.Target.Name} `{r.LoadBefore ?? "—"}` → `{r.LoadAfter ?? "—"}`")))}"));
        text.AppendLine(Inv($"- One service at a time (the others stopped), the same load generator, {options.Users} accounts with the same password, profile `GET /user/user` with each one's bearer token; only requests completed inside a measured window count, p99 by nearest rank over every successful request."));
        text.AppendLine(Inv($"- Phases per service: process 1 serves setup, profile alone ({ProfileLoad}), logins alone ({LoginLoad}), registrations alone ({LoginLoad}, a new account each), then profile ({ProfileLoad}) under a {WarmFloodLoad} login flood (warm: that process has already served logins). Processes 2 and 3 are fresh: profile alone, then, with the profile load running, the first logins the process ever serves ({ColdLoads}), measured from the flood's first request."));
        text.AppendLine("- Bound: the machine's cores ÷ one verification of the service's own password hash (its own library) on one core, median of 9, timed at the start of that service's turn while no service ran.");
        text.AppendLine();
        text.Append("| Figure | Better | ");
        text.AppendJoin(" | ", results.Select(r => r.Target.Name));
        foreach (var peer in peers)
        {
            text.Append(Inv($" | {ours.Target.Name} ÷ {peer.Target.Name}"));
        }

        text.AppendLine(" |");
        text.Append("|---|---|");
        text.AppendLine(string.Concat(Enumerable.Repeat("---:|", results.Count + peers.Count)));

        Row("Profile requests/s, alone (" + ProfileLoad + ")", Higher, r => Profile(r.Profile)?.PerSecond, "F0");
        Row("Profile p99 ms, alone", Lower, r => Profile(r.Profile)?.P99Ms, "F2");
        Row("Service CPU during profile alone, cores", Info, r => r.Profile?.ServiceCores, "F2");
        Row("Logins/s (" + LoginLoad + ")", Higher, r => LoginOf(r, r.Logins)?.PerSecond, "F2");
        Text("Password check per login", r => r.Target.PasswordCheck);
        Row("One verification on one core, ms", Lower, r => r.VerifySeconds * 1000, "F1");
        Row(Inv($"Verify bound = {Environment.ProcessorCount} cores ÷ one verification, logins/s"), Higher, r => r.Bound, "F2");
        Row("Logins/s ÷ bound (" + LoginLoad + ")", Higher, r => LoginOf(r, r.Logins)?.PerSecond / r.Bound, "F2");
        Row("Registrations/s (" + LoginLoad + ")", Higher, r => RegistrationOf(r, r.Registrations)?.PerSecond, "F2");
        Row("Registrations/s ÷ bound (" + LoginLoad + ")", Higher, r => RegistrationOf(r, r.Registrations)?.PerSecond / r.Bound, "F2");
        Row("Warm login flood (" + WarmFloodLoad + "): profile p99 ms, alone → under the flood", Info, r => Profile(r.WarmFlood)?.P99Ms, "F1", r => Profile(r.Profile)?.P99Ms);
        Row("Warm login flood (" + WarmFloodLoad + "): profile p99 ÷ alone", Lower, r => Profile(r.WarmFlood)?.P99Ms / Profile(r.Profile)?.P99Ms, "F2");
        Row("Warm login flood (" + WarmFloodLoad + "): profile requests/s ÷ alone", Higher, r => Profile(r.WarmFlood)?.PerSecond / Profile(r.Profile)?.PerSecond, "F2");
        Row("Warm login flood (" + WarmFloodLoad + "): logins/s ÷ bound", Higher, r => LoginOf(r, r.WarmFlood)?.PerSecond / r.Bound, "F2");
        foreach (var connections in results.SelectMany(r => r.ColdFloods.Keys).Distinct().Order())
        {
            (PhaseResult Alone, PhaseResult Flood)? Cold(TargetResult r) => r.ColdFloods.TryGetValue(connections, out var cold) ? cold : null;
            var label = Inv($"Cold login flood ({connections} conns), fresh process");
            Row(label + ": profile p99 ms, alone → under the flood", Info, r => Profile(Cold(r)?.Flood)?.P99Ms, "F1", r => Profile(Cold(r)?.Alone)?.P99Ms);
            Row(label + ": profile p99 ÷ alone", Lower, r => Profile(Cold(r)?.Flood)?.P99Ms / Profile(Cold(r)?.Alone)?.P99Ms, "F2");
            Row(label + ": profile requests/s ÷ alone", Higher, r => Profile(Cold(r)?.Flood)?.PerSecond / Profile(Cold(r)?.Alone)?.PerSecond, "F2");
            Row(label + ": logins/s ÷ bound", Higher, r => LoginOf(r, Cold(r)?.Flood)?.PerSecond / r.Bound, "F2");
            Row(label + ": first login answered after, s", Lower, r => LoginOf(r, Cold(r)?.Flood)?.FirstOkMs / 1000, "F2");
        }

        Row("Peak RSS (VmHWM), MB, largest of its 3 processes", Lower, r => r.PeakKb * 1024 / 1e6, "F0");
        Row("Process start → ready, s, median of its 3 starts", Lower, r => Median(r.StartsToReady), "F2");
        Row("Errors, all phases", Lower, r => r.Failure is null ? r.Phases.SelectMany(p => p.Loads).Sum(l => l.Errors) : null, "F0");

        text.AppendLine();
        text.AppendLine("Ratios are UserServices ÷ the peer: above 1 is UserServices ahead where higher is better, below 1 where lower is better. \"Ready\": the first 200 from UserServices' `/health/ready` (one `SELECT 1`), seed-fastapi's `/openapi.json` (it has no health endpoint), identity-api's `/hello` (after its `EnsureCreated`).");
        foreach (var result in results)
        {
            if (result.Failure is { } failure)
            {
                text.AppendLine();
                text.AppendLine(Inv($"- **{result.Target.Name} not (fully) measured**: {failure}"));
            }

            foreach (var load in result.Phases.SelectMany(phase => phase.Loads).Where(load => load.Errors > 0))
            {
                text.AppendLine();
                text.AppendLine(Inv($"- {result.Target.Name}, {load.Name} at {load.Connections}: {load.Errors} errors, the first: `{load.FirstError}`"));
            }
        }

        if (options.MicroReport is { } micro && File.Exists(micro))
        {
            text.AppendLine();
            text.AppendLine("## UserServices in-process micro-benchmarks (BenchmarkDotNet)");
            text.AppendLine();
            text.AppendLine(File.ReadAllText(micro).Trim());
        }

        return text.ToString();

        void Row(string figure, string better, Func<TargetResult, double?> value, string format, Func<TargetResult, double?>? before = null)
        {
            text.Append(Inv($"| {figure} | {better} |"));
            foreach (var result in results)
            {
                var cell = Format(value(result), format);
                text.Append(' ').Append(before is null ? cell : Inv($"{Format(before(result), format)} → {cell}")).Append(" |");
            }

            foreach (var peer in peers)
            {
                text.Append(' ').Append(better == Info ? "" : Format(value(ours) / value(peer), "F2")).Append(" |");
            }

            text.AppendLine();
        }

        void Text(string figure, Func<TargetResult, string> value)
        {
            text.Append(Inv($"| {figure} | |"));
            foreach (var result in results)
            {
                text.Append(' ').Append(value(result)).Append(" |");
            }

            text.AppendLine(string.Concat(Enumerable.Repeat(" |", peers.Count)));
        }
    }

    private const string Higher = "higher";
    private const string Lower = "lower";
    private const string Info = "—";

    private static string ProfileLoad => Inv($"{PeersRun.ProfileConnections} conns");

    private static string LoginLoad => Inv($"{PeersRun.LoginConnections} conns");

    private static string WarmFloodLoad => Inv($"{PeersRun.WarmFloodConnections}-connection");

    private static string ColdLoads => Inv($"{string.Join(", then ", PeersRun.ColdFloodConnections)} connections");

    private static LoadResult? Profile(PhaseResult? phase) => phase?.Loads.FirstOrDefault(load => load.Name == Target.ProfileName);

    private static LoadResult? LoginOf(TargetResult result, PhaseResult? phase) => phase?.Loads.FirstOrDefault(load => load.Name == result.Target.LoginName);

    private static LoadResult? RegistrationOf(TargetResult result, PhaseResult? phase) => phase?.Loads.FirstOrDefault(load => load.Name == result.Target.RegisterName);

    private static double? Median(List<TimeSpan> times) => times.Count == 0
        ? null
        : times.Select(time => time.TotalSeconds).Order().ElementAt(times.Count / 2);

    private static string Format(double? value, string format) =>
        value is { } number && double.IsFinite(number) ? number.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
