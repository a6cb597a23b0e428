namespace UserServices.Api.Admin.LegacyImport;

/// <summary>Where every source row went: each is counted in exactly one of the four outcomes.</summary>
public sealed record LegacyImportSummary(
    long Rows, long Imported, long AlreadyPresent, long Conflicting, long Rejected, long ImportedWithWarnings, TimeSpan Elapsed)
{
    internal static LegacyImportSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every row is now in the new database (imported now or before).</summary>
    public bool Complete => Conflicting == 0 && Rejected == 0;

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;

    internal LegacyImportSummary Including(IReadOnlyCollection<LegacyRowOutcome> batch) => this with
    {
        Rows = Rows + batch.Count,
        Imported = Imported + batch.Count(o => o is LegacyRowOutcome.Imported),
        AlreadyPresent = AlreadyPresent + batch.Count(o => o is LegacyRowOutcome.AlreadyPresent),
        Conflicting = Conflicting + batch.Count(o => o is LegacyRowOutcome.Conflicting),
        Rejected = Rejected + batch.Count(o => o is LegacyRowOutcome.Rejected),
        ImportedWithWarnings = ImportedWithWarnings + batch.Count(o => o is LegacyRowOutcome.Imported { Warnings.Count: > 0 }),
    };
}
