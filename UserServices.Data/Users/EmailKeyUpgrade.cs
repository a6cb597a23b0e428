using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace UserServices.Data.Users;

/// <summary>
/// Gives the rows the NormalizeEmailDomains migration left without a key (addresses with non-ASCII characters, whose
/// key may change under <see cref="UserLookupNormalizer"/>) their key. SQL cannot do UTS #46, so this runs after
/// the migration, from the seeding hooks (the service's start, <c>migrate</c> and <c>dotnet ef database update</c>);
/// it finds nothing to do once done. Two existing accounts whose addresses are now one mailbox both stay: the later
/// one keeps its old key, is marked with the account it collides with, and is logged; the admin API lists them.
/// The upgrade never fails on them.
/// </summary>
public static class EmailKeyUpgrade
{
    public static async Task RunAsync(DbContext db, ILookupNormalizer normalizer, ILogger logger, CancellationToken cancellationToken)
    {
        var users = db.Set<User>();
        var pending = await users.Where(u => u.NormalizedEmail == null && u.Email != null).OrderBy(u => u.Id).ToListAsync(cancellationToken);
        foreach (var user in pending)
        {
            var key = normalizer.NormalizeEmail(user.Email);
            var holder = await users.Where(u => u.NormalizedEmail == key && u.Id != user.Id).Select(u => new { u.Id, u.UserName }).FirstOrDefaultAsync(cancellationToken);
            if (holder is null)
            {
                user.NormalizedEmail = key;
            }
            else
            {
                // Its key before the upgrade, which was unique then and differs from every new key (non-ASCII).
                user.NormalizedEmail = user.Email!.ToUpperInvariant();
                user.EmailCollidesWithId = holder.Id;
                logger.LogWarning(
                    "Accounts {UserName} (id {UserId}) and {OtherUserName} (id {OtherUserId}) have addresses of one mailbox; both kept, listed at GET /admin/users/email-collisions.",
                    user.UserName, user.Id, holder.UserName, holder.Id);
            }

            // One row at a time, so the next row's check sees this one's key.
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
