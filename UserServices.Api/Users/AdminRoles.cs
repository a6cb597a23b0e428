using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>Who holds the admin role now, read from the database (never from a token's claims).</summary>
public static class AdminRoles
{
    private const string NormalizedAdmin = "ADMIN";

    public static Task<bool> HoldsAdminAsync(UserServicesDbContext db, int userId, CancellationToken cancellationToken) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == NormalizedAdmin), cancellationToken);

    /// <summary>
    /// Whether an admin other than <paramref name="userId"/> holds the role and is not locked. Call it after
    /// <see cref="SerializeAsync"/> in the same transaction, or two admins demoting each other could both pass it.
    /// </summary>
    public static async Task<bool> AnotherActiveAdminAsync(UserServicesDbContext db, int userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Few rows; the lockout time is compared here because SQLite cannot compare DateTimeOffset values in SQL.
        var others = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            join u in db.Users on ur.UserId equals u.Id
            where r.NormalizedName == NormalizedAdmin && u.Id != userId
            select u.LockoutEnd).ToListAsync(cancellationToken);
        return others.Any(end => end is null || end <= now);
    }

    /// <summary>
    /// Takes the write lock of the admin role's row until the transaction ends (an UPDATE that changes nothing), so
    /// changes that could leave no admin run one after another and each sees the one before.
    /// </summary>
    public static Task SerializeAsync(UserServicesDbContext db, CancellationToken cancellationToken) =>
        db.Roles.Where(r => r.NormalizedName == NormalizedAdmin)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.ConcurrencyStamp, x => x.ConcurrencyStamp), cancellationToken);

    public static bool IsAdmin(string role) => string.Equals(role, Role.Admin, StringComparison.Ordinal);
}
