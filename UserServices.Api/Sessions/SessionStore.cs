using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;
using UserServices.Data;
using UserServices.Data.Sessions;
using UserServices.Data.Tokens;
using UserServices.Data.Users;

namespace UserServices.Api.Sessions;

/// <summary>
/// Sessions (sign-ins) as rows: started at a login, touched by each rotation, listed, ended. Ending is one
/// conditional UPDATE of the session rows, and the bearer check reads that row on every request, so the session's
/// access tokens stop at the next request on every replica — no cache to invalidate.
/// </summary>
public sealed class SessionStore(
    UserServicesDbContext db, IOptions<RefreshTokenOptions> options, TimeProvider time, AuditLog audit, ServiceMetrics metrics)
{
    /// <summary>RFC 8176: the <c>amr</c> value of a password login.</summary>
    public const string PasswordMethod = "pwd";

    /// <summary>Adds a new session of <paramref name="user"/> to the context; the caller's save (with its first refresh token) writes it.</summary>
    /// <param name="authMethods">RFC 8176 <c>amr</c> values, space-separated: <c>pwd</c>, or what a second factor added.</param>
    public Session Start(User user, string clientId, RequestOrigin origin, DateTime now, string authMethods = PasswordMethod)
    {
        var absolute = now.AddDays(options.Value.AbsoluteLifetimeDays);
        var session = new Session
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = IdleExpiry(now, absolute),
            AbsoluteExpiresAt = absolute,
            AuthTime = now,
            AuthMethods = authMethods,
            ClientId = clientId,
            CreatedIp = origin.Ip,
            CreatedUserAgent = origin.UserAgent,
            LastIp = origin.Ip,
            LastUserAgent = origin.UserAgent,
        };
        db.Sessions.Add(session);
        return session;
    }

    /// <summary>
    /// Records a use (a rotation) of <paramref name="session"/>, in the caller's transaction, if it is still live: its
    /// idle expiry moves on, and the address and user agent become <paramref name="origin"/>'s. False when it is not.
    /// </summary>
    public async Task<bool> TouchAsync(Session session, RequestOrigin origin, DateTime now, CancellationToken cancellationToken)
    {
        var expires = IdleExpiry(now, session.AbsoluteExpiresAt);
        return await db.Sessions.Where(s => s.Id == session.Id).Where(SessionRule.LiveAt(now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LastUsedAt, now)
                .SetProperty(x => x.ExpiresAt, expires)
                .SetProperty(x => x.LastIp, origin.Ip)
                .SetProperty(x => x.LastUserAgent, origin.UserAgent), cancellationToken) == 1;
    }

    /// <summary>The live sessions of the account, newest use first; <paramref name="current"/> (the caller's own) is marked, or no session is when null.</summary>
    public async Task<SessionList> ListAsync(int userId, Guid? current, CancellationToken cancellationToken)
    {
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId).Where(SessionRule.LiveAt(Now()))
            .OrderByDescending(s => s.LastUsedAt).ThenByDescending(s => s.CreatedAt)
            .ToListAsync(cancellationToken);
        return new SessionList([.. rows.Select(s => SessionView.Of(s, current is { } id ? s.Id == id : null))]);
    }

    /// <summary>
    /// Ends the live session <paramref name="id"/> of the account <paramref name="userId"/> and records
    /// <c>session.ended</c> in the same transaction. False, and nothing written, when the account has no such live session.
    /// </summary>
    public async Task<bool> EndAuditedAsync(int userId, string? userName, Guid id, SessionEndCause cause, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await EndAsync(id, userId, cause, cancellationToken) == 0)
        {
            return false;
        }

        audit.AddTo(db, audit.Event(AuditActions.SessionEnded, userId, userName, $"session {id:N}, {cause.Name()}"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Ends every live session of the account but <paramref name="except"/> and records one <c>session.ended</c> saying how many.</summary>
    public async Task<int> EndAllAuditedAsync(int userId, string? userName, Guid? except, SessionEndCause cause, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = await EndAllAsync(userId, except, cause, cancellationToken);
        if (ended > 0)
        {
            audit.AddTo(db, audit.Event(AuditActions.SessionEnded, userId, userName,
                $"{ended} session(s), {cause.Name()}" + (except is { } kept ? $", all but {kept:N}" : "")));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    /// <summary>Ends the session <paramref name="id"/> if it is live (and, when <paramref name="userId"/> is given, that account's): 1, else 0.</summary>
    public Task<int> EndAsync(Guid id, int? userId, SessionEndCause cause, CancellationToken cancellationToken) =>
        EndAsync(s => s.Id == id && (userId == null || s.UserId == userId), t => t.FamilyId == id, cause, cancellationToken);

    /// <summary>Ends every live session of the account but <paramref name="except"/>, in the caller's transaction if it has one.</summary>
    public Task<int> EndAllAsync(int userId, Guid? except, SessionEndCause cause, CancellationToken cancellationToken) =>
        EndAsync(s => s.UserId == userId && s.Id != except, t => t.UserId == userId && t.FamilyId != except, cause, cancellationToken);

    private async Task<int> EndAsync(
        Expression<Func<Session, bool>> sessions, Expression<Func<RefreshToken, bool>> tokens, SessionEndCause cause, CancellationToken cancellationToken)
    {
        var now = Now();
        var name = cause.Name();
        // The one statement that ends them: the bearer check, the refresh grant and introspection read this row.
        var ended = await db.Sessions.Where(sessions).Where(SessionRule.LiveAt(now))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndCause, name), cancellationToken);
        // Their refresh tokens are marked too, so a later use reads as "revoked". This runs after the UPDATE above,
        // which waited for any rotation holding a session row, so it also sees that rotation's successor.
        await db.RefreshTokens.Where(tokens).Where(t => t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), cancellationToken);
        metrics.RecordSessionsEnded(name, ended);
        return ended;
    }

    private DateTime IdleExpiry(DateTime now, DateTime absolute)
    {
        var idle = now.AddDays(options.Value.IdleLifetimeDays);
        return idle < absolute ? idle : absolute;
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
