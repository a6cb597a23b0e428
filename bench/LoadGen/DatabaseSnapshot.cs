namespace LoadGen;

/// <summary>
/// PostgreSQL's cumulative counters for the bench database at one moment: <c>pg_stat_database</c>'s transactions
/// and rows, and <c>pg_stat_statements</c>' calls per statement (none when the extension is not loaded).
/// </summary>
/// <param name="Statements">Calls per normalized statement text; null without pg_stat_statements.</param>
internal sealed record DatabaseSnapshot(long Commits, long Rollbacks, long Inserted, long Updated, long Deleted, IReadOnlyDictionary<string, long>? Statements)
{
    /// <summary>What happened between <paramref name="before"/> and this one, per request of the <paramref name="requests"/> sent meanwhile.</summary>
    public DatabaseUse Since(DatabaseSnapshot before, long requests)
    {
        double Per(long count) => (double)count / requests;
        IReadOnlyList<(string Statement, double PerRequest)>? statements = null;
        if (Statements is not null && before.Statements is not null)
        {
            statements = Statements
                .Select(entry => (entry.Key, Calls: entry.Value - before.Statements.GetValueOrDefault(entry.Key)))
                .Where(entry => entry.Calls > 0)
                .OrderByDescending(entry => entry.Calls)
                .ThenBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(entry => (entry.Key, Per(entry.Calls)))
                .ToList();
        }

        return new DatabaseUse(requests, Per(Commits - before.Commits), Per(Rollbacks - before.Rollbacks), Per(Inserted - before.Inserted),
            Per(Updated - before.Updated), Per(Deleted - before.Deleted), statements);
    }
}
