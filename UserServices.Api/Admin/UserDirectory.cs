using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Sessions;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

/// <summary>Reading accounts for an operator: pages of them, one of them, in the shape the admin API answers with.</summary>
public sealed class UserDirectory(UserServicesDbContext db, UserManager<User> users, TimeProvider time)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    public async Task<AdminUserPage> ListAsync(string? search, int limit, long? after, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking();
        if (after is { } last)
        {
            query = query.Where(u => u.Id > last);
        }

        if (!string.IsNullOrEmpty(search))
        {
            var name = users.NormalizeName(search);
            var email = users.NormalizeEmail(search);
            query = query.Where(u => u.NormalizedUserName!.StartsWith(name) || u.NormalizedEmail!.StartsWith(email));
        }

        var page = await query.OrderBy(u => u.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > limit;
        if (more)
        {
            page.RemoveAt(limit);
        }

        var roles = await RolesOfAsync([.. page.Select(u => u.Id)], cancellationToken);
        return new AdminUserPage([.. page.Select(u => View(u, roles))], more ? PageCursor.Encode(page[^1].Id) : null);
    }

    public async Task<AdminUser?> FindAsync(int id, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var sessions = await db.Sessions.Where(s => s.UserId == id).Where(SessionRule.LiveAt(now)).CountAsync(cancellationToken);
        return View(user, await RolesOfAsync([id], cancellationToken)) with { ActiveSessions = sessions };
    }

    /// <summary>The account as the admin API shows it, read again after a change.</summary>
    public async Task<AdminUser> ViewAsync(User user, CancellationToken cancellationToken) =>
        View(user, await RolesOfAsync([user.Id], cancellationToken));

    private AdminUser View(User user, Dictionary<int, List<string>> roles) => new(
        user.Id,
        user.UserName,
        user.Email,
        roles.TryGetValue(user.Id, out var names) ? names : [],
        Utc(user.CreatedAt),
        Utc(user.LastLoginAt),
        user.LockoutEnd is { } end && end > time.GetUtcNow() ? end : null,
        user.AccessFailedCount,
        user.TwoFactorEnabled);

    private async Task<Dictionary<int, List<string>>> RolesOfAsync(List<int> ids, CancellationToken cancellationToken)
    {
        var rows = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where ids.Contains(ur.UserId)
            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).Order(StringComparer.Ordinal).ToList());
    }

    // SQLite gives times back without their kind; they were written in UTC.
    private static DateTime? Utc(DateTime? value) => value is { } time ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : null;
}
