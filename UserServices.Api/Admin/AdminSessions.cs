using Microsoft.EntityFrameworkCore;
using UserServices.Api.Sessions;
using UserServices.Data;

namespace UserServices.Api.Admin;

/// <summary>An account's sessions for the admin API: the person's own list without <c>current</c>, and ending one.</summary>
public sealed class AdminSessions(UserServicesDbContext db, SessionStore sessions)
{
    /// <summary>The account's live sessions, or null when there is no such account.</summary>
    public async Task<SessionList?> ListAsync(int id, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(u => u.Id == id, cancellationToken) ? await sessions.ListAsync(id, current: null, cancellationToken) : null;

    /// <summary>Ends the account's live session <paramref name="sid"/>; false when the account has none with that id (or does not exist).</summary>
    public async Task<bool> EndAsync(int id, string sid, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(sid, "N", out var sessionId))
        {
            return false;
        }

        var account = await db.Users.Where(u => u.Id == id).Select(u => new { u.UserName }).SingleOrDefaultAsync(cancellationToken);
        return account is not null
            && await sessions.EndAuditedAsync(id, account.UserName, sessionId, SessionEndCause.EndedByAdmin, cancellationToken);
    }
}
