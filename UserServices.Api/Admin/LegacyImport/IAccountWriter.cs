namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// Where admitted accounts go: the one thing a dry run changes. Chosen once per run, so no other step needs to
/// know which kind of run it is part of.
/// </summary>
internal interface IAccountWriter
{
    /// <summary>Before the first batch, with the highest id the source held when counted.</summary>
    Task StartAsync(long maxId, CancellationToken cancellationToken);

    /// <summary>One attempt at one batch: check it against <see cref="IAccountBatch.Accounts"/>, add, commit.</summary>
    Task<IAccountBatch> BeginBatchAsync(CancellationToken cancellationToken);

    /// <summary>After the last batch, with the highest id actually read.</summary>
    Task FinishAsync(long maxId, CancellationToken cancellationToken);
}
