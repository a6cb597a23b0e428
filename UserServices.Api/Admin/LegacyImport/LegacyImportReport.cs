using System.Globalization;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>Everything the import prints: a line to start, one per row worth a look, progress, and the summary.</summary>
internal sealed class LegacyImportReport(TextWriter output, bool dryRun, int progressEvery)
{
    private readonly string _starting = dryRun ? "Dry run: reading" : "Importing";
    private readonly string _imported = dryRun ? "Dry run, nothing written: would import" : "Imported";
    private long _nextProgress = progressEvery;

    /// <summary>A value for a report line: quoted, control characters made visible.</summary>
    public static string Show(string? value) =>
        value is null ? "(none)" : $"'{new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray())}'";

    public void Starting(long total, string table, int batchSize) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_starting} {total:N0} rows from {table} into Users, {batchSize:N0} per transaction."));

    /// <summary>Called only once a batch is committed, so that a retried batch is not reported twice.</summary>
    public void Batch(IEnumerable<LegacyRowOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            var row = string.Create(CultureInfo.InvariantCulture, $"row id {outcome.Row.Id} {Show(outcome.Row.UserName)}");
            switch (outcome)
            {
                case LegacyRowOutcome.Rejected rejected:
                    output.WriteLine($"rejected: {row}: {rejected.Reason}");
                    break;
                case LegacyRowOutcome.Conflicting conflicting:
                    output.WriteLine($"conflict: {row}: {conflicting.Reason}; not imported");
                    break;
                case LegacyRowOutcome.Imported imported:
                    foreach (var warning in imported.Warnings)
                    {
                        output.WriteLine($"warning: {row}: {warning}");
                    }

                    break;
            }
        }
    }

    /// <summary>A line each time the rows read so far pass another multiple of the options' ProgressEvery.</summary>
    public void Progress(long rows, long total, TimeSpan elapsed)
    {
        if (rows < _nextProgress)
        {
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {rows:N0}/{total:N0} rows, {rows / elapsed.TotalSeconds:N0} rows/s"));
        _nextProgress = (rows / progressEvery + 1) * progressEvery;
    }

    public void Finished(LegacyImportSummary summary) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_imported} {summary.Imported:N0}, already present {summary.AlreadyPresent:N0}, " +
            $"conflicting {summary.Conflicting:N0}, rejected {summary.Rejected:N0} ({summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:N1} s, " +
            $"{summary.RowsPerSecond:N0} rows/s; {summary.ImportedWithWarnings:N0} imported with warnings)."));
}
