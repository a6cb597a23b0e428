namespace LoadGen;

/// <summary>What the service did to PostgreSQL per request of one phase (every request it sent, warm-up included).</summary>
/// <param name="Statements">Each statement (normalized text) with its calls per request, most called first; null without pg_stat_statements.</param>
internal sealed record DatabaseUse(long Requests, double Commits, double Rollbacks, double Inserted, double Updated, double Deleted,
    IReadOnlyList<(string Statement, double PerRequest)>? Statements)
{
    /// <summary>
    /// What Npgsql sends when a connection goes back to its pool: <c>DISCARD ALL</c>, or, on a connection holding
    /// prepared statements (which DISCARD ALL would drop), its parts without DEALLOCATE ALL. Sent with the next
    /// command, so no round trip of its own, but each part is a statement PostgreSQL parses and runs.
    /// </summary>
    private static readonly HashSet<string> ResetStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "DISCARD ALL", "CLOSE ALL", "DISCARD SEQUENCES", "DISCARD TEMP", "RESET ALL", "SELECT pg_advisory_unlock_all()",
        "SET SESSION AUTHORIZATION DEFAULT", "UNLISTEN *",
    };

    public double RowsWritten => Inserted + Updated + Deleted;

    /// <summary>SELECT, INSERT, UPDATE, DELETE: the statements the service's code runs.</summary>
    public double? DataStatements => Sum(statement => !IsTransactionControl(statement) && !ResetStatements.Contains(statement.Trim()));

    /// <summary>BEGIN, COMMIT, ROLLBACK and savepoints (EF Core sets one before SaveChanges inside a transaction).</summary>
    public double? ControlStatements => Sum(IsTransactionControl);

    public double? ResetStatementCount => Sum(statement => ResetStatements.Contains(statement.Trim()));

    /// <summary>Connections given back to the pool: one DISCARD ALL, or one DISCARD TEMP among the parts, per return.</summary>
    public double? ConnectionResets => Sum(statement => statement.Trim() is "DISCARD ALL" or "DISCARD TEMP");

    private static bool IsTransactionControl(string statement) =>
        statement.TrimStart().Split(' ', 2)[0].ToUpperInvariant() is "BEGIN" or "START" or "COMMIT" or "END" or "ROLLBACK" or "SAVEPOINT" or "RELEASE";

    private double? Sum(Func<string, bool> kind) => Statements?.Where(s => kind(s.Statement)).Sum(s => s.PerRequest);
}
