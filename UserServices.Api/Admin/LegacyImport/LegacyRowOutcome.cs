namespace UserServices.Api.Admin.LegacyImport;

/// <summary>What became of one source row: exactly one of these four, which the private constructor keeps closed.</summary>
internal abstract record LegacyRowOutcome
{
    private LegacyRowOutcome(LegacyRow row) => Row = row;

    public LegacyRow Row { get; }

    /// <summary>Now in the new database (in a dry run: would be), with whatever the triage warned about.</summary>
    public sealed record Imported(LegacyRow Row, IReadOnlyList<string> Warnings) : LegacyRowOutcome(Row);

    /// <summary>The same user already holds this id: an earlier run imported it.</summary>
    public sealed record AlreadyPresent(LegacyRow Row) : LegacyRowOutcome(Row);

    /// <summary>A different account holds its id, username or email, and nothing is ever overwritten.</summary>
    public sealed record Conflicting(LegacyRow Row, string Reason) : LegacyRowOutcome(Row);

    /// <summary>The new service cannot hold this row at all.</summary>
    public sealed record Rejected(LegacyRow Row, string Reason) : LegacyRowOutcome(Row);
}
