using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Sessions;
using UserServices.Data;

namespace UserServices.Api.Mfa;

/// <summary>An operator turns an account's two-factor sign-in off (a lost phone and lost codes): secret, codes and pending sign-ins gone, sessions ended.</summary>
public sealed class MfaReset(UserServicesDbContext db, SecondFactors factors, SessionStore sessions, AuditLog audit)
{
    /// <summary>False when there is no such account.</summary>
    public async Task<bool> ResetAsync(int userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return false;
        }

        await factors.RemoveAllAsync(userId, cancellationToken);
        await db.MfaChallenges.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, false), cancellationToken);
        var ended = await sessions.EndAllAsync(userId, except: null, SessionEndCause.EndedByAdmin, cancellationToken);
        audit.AddTo(db, AuditActions.MfaReset, user, $"by admin (was {(user.TwoFactorEnabled ? "on" : "off")}); {ended} session(s) ended");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
