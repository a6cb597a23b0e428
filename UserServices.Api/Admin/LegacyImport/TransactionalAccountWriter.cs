using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// Writes each batch in one transaction, so that a stopped import leaves no half-written batch, on a context of its
/// own: what an attempt added goes with it, committed or rolled back, and a retry starts from nothing.
/// </summary>
internal sealed class TransactionalAccountWriter(
    UserServicesDbContext db, IServiceScopeFactory scopes, ILookupNormalizer normalizer, int memberRoleId) : IAccountWriter
{
    // First, so that registrations while the import runs cannot take an id a legacy user still needs.
    public Task StartAsync(long maxId, CancellationToken cancellationToken) => AdvanceIdSequenceAsync(maxId, cancellationToken);

    // Again, with the highest id actually read: the old service may have added users meanwhile.
    public Task FinishAsync(long maxId, CancellationToken cancellationToken) => AdvanceIdSequenceAsync(maxId, cancellationToken);

    public async Task<IAccountBatch> BeginBatchAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var batchDb = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
            var transaction = await batchDb.Database.BeginTransactionAsync(cancellationToken);
            // Known accounts fresh for every attempt too: committed batches are found by the batch's own query, and a
            // rolled-back attempt must not leave its would-be imports behind as if they were there.
            return new Batch(scope, batchDb, transaction, new KnownAccounts(normalizer), memberRoleId);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves the Users id sequence past <paramref name="maxId"/>, never backwards.</summary>
    private async Task AdvanceIdSequenceAsync(long maxId, CancellationToken cancellationToken)
    {
        // SQLite needs nothing: an AUTOINCREMENT key continues after the largest id ever inserted, explicit ones included.
        if (maxId < 1 || !db.Database.IsNpgsql())
        {
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            SELECT setval(s.name, GREATEST({maxId}, (SELECT COALESCE(MAX("Id"), 0) FROM "Users"), COALESCE(pg_sequence_last_value(s.name::regclass), 0)))
            FROM (SELECT pg_get_serial_sequence('"Users"', 'Id') AS name) AS s
            """, cancellationToken);
    }

    private sealed class Batch(
        AsyncServiceScope scope, UserServicesDbContext db, IDbContextTransaction transaction, KnownAccounts accounts, int memberRoleId) : IAccountBatch
    {
        public KnownAccounts Accounts => accounts;

        // On the batch's own connection, inside its transaction.
        public Task LoadAsync(IReadOnlyCollection<User> candidates, CancellationToken cancellationToken) =>
            accounts.LoadAsync(db, candidates, cancellationToken);

        public void Add(User user)
        {
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<int> { UserId = user.Id, RoleId = memberRoleId });
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            // The context, and the accounts it tracked, go with the attempt: a retry adds them again to a new one.
            await scope.DisposeAsync();
        }
    }
}
