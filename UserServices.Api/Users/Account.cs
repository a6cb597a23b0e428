using Microsoft.EntityFrameworkCore;
using UserServices.Data;

namespace UserServices.Api.Users;

/// <summary>What an authenticated request needs to know about its caller, read once per request.</summary>
public sealed record Account(int Id, string UserName, string Email, string? SecurityStamp, DateTimeOffset? LockoutEnd)
{
    // Compiled once: the profile path's only database work is this one query.
    private static readonly Func<UserServicesDbContext, int, CancellationToken, Task<Account?>> ById =
        EF.CompileAsyncQuery((UserServicesDbContext db, int id, CancellationToken _) => db.Users
            .AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new Account(u.Id, u.UserName ?? "", u.Email ?? "", u.SecurityStamp, u.LockoutEnd))
            .FirstOrDefault());

    public static Task<Account?> FindAsync(UserServicesDbContext db, int id, CancellationToken cancellationToken) =>
        ById(db, id, cancellationToken);

    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}

/// <summary>The caller's account as the bearer check found it; absent when the token's user no longer exists.</summary>
public sealed class CurrentAccount
{
    public Account? Account { get; set; }
}
