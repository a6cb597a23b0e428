using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using UserServices.Api.Sessions;
using UserServices.Data;

namespace UserServices.Api.Users;

/// <summary>
/// What an authenticated request needs to know about its caller, read once per request: the account and, when asked
/// for, the state of the token's session (null when the account has no session with that id).
/// </summary>
public sealed record Account(int Id, string UserName, string Email, string? SecurityStamp, DateTimeOffset? LockoutEnd, SessionState? Session)
{
    // Compiled once per model: the profile path's only database work is one of these queries. EF refuses to run a
    // compiled query against a model other than the one it was compiled for, and each provider (PostgreSQL, SQLite)
    // and each host in one process (WebApplicationFactory) has its own model.
    private static readonly ConditionalWeakTable<IModel, Func<UserServicesDbContext, int, CancellationToken, Task<Account?>>> ById = [];
    private static readonly ConditionalWeakTable<IModel, Func<UserServicesDbContext, int, Guid, CancellationToken, Task<Account?>>> ByIdWithSession = [];

    /// <summary>The account alone (<see cref="Session"/> null).</summary>
    public static Task<Account?> FindAsync(UserServicesDbContext db, int id, CancellationToken cancellationToken) =>
        ById.GetValue(db.Model, _ => Compile())(db, id, cancellationToken);

    /// <summary>
    /// The account and its session <paramref name="sessionId"/> in one statement: the session row is joined on its
    /// primary key, so checking it costs no extra round trip.
    /// </summary>
    public static Task<Account?> FindAsync(UserServicesDbContext db, int id, Guid sessionId, CancellationToken cancellationToken) =>
        ByIdWithSession.GetValue(db.Model, _ => CompileWithSession())(db, id, sessionId, cancellationToken);

    private static Func<UserServicesDbContext, int, CancellationToken, Task<Account?>> Compile() =>
        EF.CompileAsyncQuery((UserServicesDbContext db, int id, CancellationToken _) => db.Users
            .AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new Account(u.Id, u.UserName ?? "", u.Email ?? "", u.SecurityStamp, u.LockoutEnd, null))
            .FirstOrDefault());

    private static Func<UserServicesDbContext, int, Guid, CancellationToken, Task<Account?>> CompileWithSession() =>
        EF.CompileAsyncQuery((UserServicesDbContext db, int id, Guid sessionId, CancellationToken _) => (
            from u in db.Users.AsNoTracking()
            where u.Id == id
            join s in db.Sessions.AsNoTracking() on new { Id = sessionId, UserId = u.Id } equals new { s.Id, s.UserId } into found
            from s in found.DefaultIfEmpty()
            select new Account(u.Id, u.UserName ?? "", u.Email ?? "", u.SecurityStamp, u.LockoutEnd,
                s == null ? null : new SessionState(s.EndedAt, s.ExpiresAt)))
            .FirstOrDefault());
}
