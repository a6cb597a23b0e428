using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// Copies the Python service's users (SQLModel table <c>users</c>: id, username, email, hash_password) into
/// Identity's <c>Users</c>, keeping ids and bcrypt hashes, one transaction per batch.
/// </summary>
/// <remarks>
/// Never overwrites: a row whose id already holds the same username is "already present", a row that would
/// collide with a different account (id, username or email, ignoring case) is "conflicting" and reported, so a
/// second run changes nothing. Rows the new service cannot hold at all are "rejected"; rows it can hold but
/// would not accept at registration are imported with a warning (see <see cref="LegacyRowTriage"/>).
/// </remarks>
public sealed class LegacyImporter(IServiceProvider services, TextWriter output)
{
    private const int Attempts = 3;

    public async Task<LegacyImportSummary> RunAsync(LegacyImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var clock = Stopwatch.StartNew();
        await using var source = await LegacySourceReader.OpenAsync(options.SourceUrl, options.Table, cancellationToken);
        var (total, maxId) = await source.CountAsync(cancellationToken);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var normalizer = scope.ServiceProvider.GetRequiredService<ILookupNormalizer>();
        var triage = new LegacyRowTriage(normalizer);
        // A dry run is not migrated first (it writes nothing, not even the schema): a target without one is empty.
        var hasSchema = !options.DryRun || await HasSchemaAsync(db, cancellationToken);
        if (!hasSchema)
        {
            output.WriteLine("The target database has no schema yet (a real run creates it first); rows are checked as if it held no accounts.");
        }

        // Looked up in a dry run too, so that it fails on a target a real run would fail on.
        var memberRoleId = hasSchema
            ? await db.Roles.Where(r => r.Name == Role.Member).Select(r => r.Id).SingleAsync(cancellationToken)
            : 0;

        // The only place a dry run differs from a real one: what is written, and how the report words it.
        IAccountWriter writer = options.DryRun
            ? new DryRunAccountWriter(db, new KnownAccounts(normalizer, readsTarget: hasSchema))
            : new TransactionalAccountWriter(db, services.GetRequiredService<IServiceScopeFactory>(), normalizer, memberRoleId);
        var report = new LegacyImportReport(output, options.DryRun, options.ProgressEvery);

        report.Starting(total, options.Table, options.BatchSize);
        await writer.StartAsync(maxId, cancellationToken);
        var summary = LegacyImportSummary.Empty;
        var after = long.MinValue;
        while (await source.ReadBatchAsync(after, options.BatchSize, cancellationToken) is { Count: > 0 } rows)
        {
            after = rows[^1].Id;
            var outcomes = await ImportBatchAsync(writer, rows.Select(triage.Triage).ToList(), cancellationToken);
            report.Batch(outcomes);
            summary = summary.Including(outcomes);
            report.Progress(summary.Rows, total, clock.Elapsed);
        }

        await writer.FinishAsync(Math.Max(maxId, after), cancellationToken);
        summary = summary with { Elapsed = clock.Elapsed };
        report.Finished(summary);
        return summary;
    }

    // Asked without creating anything: SQLite's check looks for the file, PostgreSQL's for the history table.
    private static async Task<bool> HasSchemaAsync(UserServicesDbContext db, CancellationToken cancellationToken) =>
        await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)
        && (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any();

    private static async Task<IReadOnlyList<LegacyRowOutcome>> ImportBatchAsync(
        IAccountWriter writer, IReadOnlyList<TriagedRow> rows, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ImportOnceAsync(writer, rows, cancellationToken);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation() && attempt < Attempts)
            {
                // A registration took a username or email of this batch between our check and our insert; the
                // transaction rolled back, so check the batch again: that row is now a conflict.
            }
        }
    }

    private static async Task<IReadOnlyList<LegacyRowOutcome>> ImportOnceAsync(
        IAccountWriter writer, IReadOnlyList<TriagedRow> rows, CancellationToken cancellationToken)
    {
        await using var batch = await writer.BeginBatchAsync(cancellationToken);
        var candidates = rows.OfType<TriagedRow.ToImport>().ToList();
        await batch.LoadAsync(candidates.Select(c => c.User).ToList(), cancellationToken);
        var outcomes = new List<LegacyRowOutcome>(rows.Count);
        foreach (var row in rows)
        {
            outcomes.Add(row switch
            {
                TriagedRow.Rejected rejected => new LegacyRowOutcome.Rejected(rejected.Row, rejected.Reason),
                TriagedRow.ToImport candidate => Admit(batch, candidate),
                _ => throw new UnreachableException(),
            });
        }

        await batch.CommitAsync(cancellationToken);
        return outcomes;
    }

    private static LegacyRowOutcome Admit(IAccountBatch batch, TriagedRow.ToImport candidate)
    {
        var outcome = batch.Accounts.Admit(candidate);
        if (outcome is LegacyRowOutcome.Imported)
        {
            batch.Add(candidate.User);
        }

        return outcome;
    }
}
