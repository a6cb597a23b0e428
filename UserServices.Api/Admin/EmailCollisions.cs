using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Data;

namespace UserServices.Api.Admin;

/// <summary>The account pairs the email-key upgrade kept although their addresses are one mailbox.</summary>
public sealed class EmailCollisions(UserServicesDbContext db, ILookupNormalizer normalizer)
{
    /// <summary>
    /// Pairs still standing: both accounts exist and the marked one still lacks its address's key (an admin who
    /// changes its email, or deletes either account, settles the pair). Few rows: only the upgrade marks any.
    /// </summary>
    public async Task<List<EmailCollision>> ListAsync(CancellationToken cancellationToken)
    {
        var marked = await (
            from user in db.Users.AsNoTracking()
            where user.EmailCollidesWithId != null
            join other in db.Users on user.EmailCollidesWithId equals other.Id
            orderby user.Id
            select new { Collision = new EmailCollision(user.Id, user.UserName, user.Email, other.Id, other.UserName, other.Email), user.NormalizedEmail })
            .ToListAsync(cancellationToken);
        return marked.Where(m => m.NormalizedEmail != normalizer.NormalizeEmail(m.Collision.Email)).Select(m => m.Collision).ToList();
    }
}
