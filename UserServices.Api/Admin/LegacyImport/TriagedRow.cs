using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>A source row after triage: an account to import, or the reason there can be none.</summary>
internal abstract record TriagedRow
{
    private TriagedRow(LegacyRow row) => Row = row;

    public LegacyRow Row { get; }

    /// <summary>An account the new service can hold, if the target has no other claim on it.</summary>
    public sealed record ToImport(LegacyRow Row, User User, IReadOnlyList<string> Warnings) : TriagedRow(Row);

    public sealed record Rejected(LegacyRow Row, string Reason) : TriagedRow(Row);
}
