namespace LoadGen;

/// <summary>What the peers run measured of one service; a phase left null was not reached (see <see cref="Failure"/>).</summary>
internal sealed class TargetResult(Target target)
{
    public Target Target { get; } = target;

    /// <summary>One password verification on one core, median seconds.</summary>
    public double? VerifySeconds { get; set; }

    /// <summary>Logins a second the machine's cores could do if they did nothing but verify passwords.</summary>
    public double Bound => VerifySeconds is { } seconds ? Environment.ProcessorCount / seconds : double.NaN;

    public PhaseResult? Profile { get; set; }

    public PhaseResult? Logins { get; set; }

    public PhaseResult? Registrations { get; set; }

    /// <summary>Profile and a login flood on the process that already served the other phases.</summary>
    public PhaseResult? WarmFlood { get; set; }

    /// <summary>Per flood size: the profile alone on a fresh process, then the first logins that process ever serves.</summary>
    public SortedDictionary<int, (PhaseResult Alone, PhaseResult Flood)> ColdFloods { get; } = [];

    public List<TimeSpan> StartsToReady { get; } = [];

    /// <summary>Largest VmHWM of the service's processes in this run, kB.</summary>
    public long? PeakKb { get; set; }

    public string? LoadBefore { get; set; }

    public string? LoadAfter { get; set; }

    public string? Failure { get; set; }

    public IEnumerable<PhaseResult> Phases =>
        new[] { Profile, Logins, Registrations, WarmFlood }.OfType<PhaseResult>().Concat(ColdFloods.Values.SelectMany(cold => new[] { cold.Alone, cold.Flood }));

    public void RecordPeak(ServiceProcess service)
    {
        if (service.Status("VmHWM") is { } kb)
        {
            PeakKb = Math.Max(PeakKb ?? 0, kb);
        }
    }
}
