using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>One attempt at a batch; disposing it without <see cref="CommitAsync"/> leaves nothing of it behind.</summary>
internal interface IAccountBatch : IAsyncDisposable
{
    /// <summary>What the batch is checked against; admitted accounts are added to it.</summary>
    KnownAccounts Accounts { get; }

    /// <summary>Loads into <see cref="Accounts"/> the target's accounts that could conflict with <paramref name="candidates"/>.</summary>
    Task LoadAsync(IReadOnlyCollection<User> candidates, CancellationToken cancellationToken);

    void Add(User user);

    Task CommitAsync(CancellationToken cancellationToken);
}
