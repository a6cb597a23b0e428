using Microsoft.EntityFrameworkCore;
using UserServices.Data;

namespace UserServices.Api.Admin;

/// <summary>The audit log, newest first, one keyset page at a time (by id, which grows with every event).</summary>
public sealed class AuditSearch(UserServicesDbContext db)
{
    public async Task<AuditPage> FindAsync(int? userId, string? action, DateTime? since, DateTime? until, int limit, long? before, CancellationToken cancellationToken)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (before is { } last)
        {
            query = query.Where(e => e.Id < last);
        }

        if (userId is { } user)
        {
            query = query.Where(e => e.UserId == user);
        }

        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(e => e.Action == action);
        }

        if (since is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (until is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        var page = await query.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > limit;
        if (more)
        {
            page.RemoveAt(limit);
        }

        return new AuditPage(
            [.. page.Select(e => new AuditEntry(e.Id, DateTime.SpecifyKind(e.At, DateTimeKind.Utc), e.Action, e.UserId, e.UserName, e.ActorId, e.Actor, e.Ip, e.UserAgent, e.Detail))],
            more ? PageCursor.Encode(page[^1].Id) : null);
    }
}
