using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// Writes nothing. Its would-be imports are remembered across batches instead: nothing commits them for a later
/// batch's query to find, yet a later row must conflict with them as it would in a real run.
/// </summary>
internal sealed class DryRunAccountWriter(UserServicesDbContext db, KnownAccounts accounts) : IAccountWriter
{
    private readonly KnownAccounts _accounts = accounts;

    public Task StartAsync(long maxId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task FinishAsync(long maxId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IAccountBatch> BeginBatchAsync(CancellationToken cancellationToken) => Task.FromResult<IAccountBatch>(new Batch(db, _accounts));

    private sealed class Batch(UserServicesDbContext db, KnownAccounts accounts) : IAccountBatch
    {
        public KnownAccounts Accounts => accounts;

        public Task LoadAsync(IReadOnlyCollection<User> candidates, CancellationToken cancellationToken) =>
            accounts.LoadAsync(db, candidates, cancellationToken);

        public void Add(User user)
        {
        }

        public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
