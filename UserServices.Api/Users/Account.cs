using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using UserServices.Data;

namespace UserServices.Api.Users;

/// <summary>What an authenticated request needs to know about its caller, read once per request.</summary>
public sealed record Account(int Id, string UserName, string Email, string? SecurityStamp, DateTimeOffset? LockoutEnd)
{
    // Compiled once per model: the profile path's only database work is this one query. EF refuses to run a
    // compiled query against a model other than the one it was compiled for, and each provider (PostgreSQL, SQLite)
    // and each host in one process (WebApplicationFactory) has its own model.
    private static readonly ConditionalWeakTable<IModel, Func<UserServicesDbContext, int, CancellationToken, Task<Account?>>> ById = [];

    public static Task<Account?> FindAsync(UserServicesDbContext db, int id, CancellationToken cancellationToken) =>
        ById.GetValue(db.Model, _ => Compile())(db, id, cancellationToken);

    private static Func<UserServicesDbContext, int, CancellationToken, Task<Account?>> Compile() =>
        EF.CompileAsyncQuery((UserServicesDbContext db, int id, CancellationToken _) => db.Users
            .AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new Account(u.Id, u.UserName ?? "", u.Email ?? "", u.SecurityStamp, u.LockoutEnd))
            .FirstOrDefault());

    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}
