using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;
using UserServices.Data;
using UserServices.Data.Audit;
using UserServices.Data.Tokens;

namespace UserServices.Api.Sessions;

/// <summary>
/// Exchanging a refresh token for its successor. Using a token that was already rotated is taken as theft and ends
/// its whole family — unless it comes back within the reuse interval, which is a retry and gets the same successor
/// (decided in the database, so it holds across replicas).
/// </summary>
public sealed class RefreshTokenRotation(
    UserServicesDbContext db,
    IOptions<RefreshTokenOptions> options,
    RefreshTokenMint mint,
    SessionStore sessions,
    TimeProvider time,
    AuditLog audit,
    ILogger<RefreshTokenRotation> logger,
    ServiceMetrics metrics)
{
    /// <param name="clientId">With registered clients, the authenticated client, which must be the one the token was issued to; else null.</param>
    /// <param name="origin">Where the request came from: the session's last use.</param>
    public async Task<RefreshOutcome> RotateAsync(string presented, string? clientId, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = RefreshTokenMint.Hash(presented);
        var current = await db.RefreshTokens.Include(t => t.User).Include(t => t.Session)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (current is null)
        {
            return Refuse(RefreshResult.Unknown, "The refresh token is unknown.");
        }

        if (current.RevokedAt is not null)
        {
            return Refuse(RefreshResult.Revoked, "The refresh token was revoked.");
        }

        if (current.UsedAt is not null)
        {
            return IsRetry(current, clientId, now)
                ? await SameSuccessorAsync(current, presented, cancellationToken)
                : await ReuseDetectedAsync(current, cancellationToken);
        }

        return await RefusalAsync(current, clientId, now, cancellationToken)
            ?? await ClaimAsync(current, presented, clientId, origin, now, cancellationToken);
    }

    /// <summary>Why the unused token <paramref name="current"/> cannot be exchanged now, or null when it can.</summary>
    private async Task<RefreshOutcome?> RefusalAsync(RefreshToken current, string? clientId, DateTime now, CancellationToken cancellationToken)
    {
        var user = current.User!;
        var verdict = SessionRule.Judge(
            current.Session is { } session ? SessionState.Of(session) : null, current.StampDigest, user.SecurityStamp, user.LockoutEnd, time.GetUtcNow());
        if (verdict == SessionVerdict.Ended)
        {
            return Refuse(RefreshResult.Revoked, "The refresh token was revoked.");
        }

        // The token's own idle expiry too: it is the session's, unless someone moved one of them by hand.
        if (verdict == SessionVerdict.Expired || now >= current.ExpiresAt || now >= current.FamilyExpiresAt)
        {
            return Refuse(RefreshResult.Expired, "The refresh token has expired.");
        }

        // RFC 6749 §6: a refresh token is bound to the client it was issued to.
        if (clientId is not null && current.ClientId != clientId)
        {
            return Refuse(RefreshResult.WrongClient, "The refresh token was issued to another client.");
        }

        if (verdict == SessionVerdict.AccountChanged)
        {
            await sessions.EndAsync(current.FamilyId, null, SessionEndCause.AccountChanged, cancellationToken);
            return Refuse(RefreshResult.AccountChanged, "The account changed since the refresh token was issued.");
        }

        // Refused while locked, but not ended: a lockout that others can cause by guessing must not end the
        // owner's sign-in for good.
        return verdict == SessionVerdict.AccountLocked ? Refuse(RefreshResult.LockedOut, "The account is locked.") : null;
    }

    /// <summary>Marks <paramref name="current"/> used and saves its successor, unless a concurrent use got there first.</summary>
    private async Task<RefreshOutcome> ClaimAsync(
        RefreshToken current, string presented, string? clientId, RequestOrigin origin, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The session row first, as ending a session does: whoever comes second waits for the first to commit and
        // then sees what it did, so a session ended meanwhile refuses here, and a rotation that got in first has its
        // successor revoked by the ending.
        if (!await sessions.TouchAsync(current.Session!, origin, now, cancellationToken))
        {
            return Refuse(RefreshResult.Revoked, "The refresh token was revoked.");
        }

        // The database decides between concurrent uses: only one UPDATE finds the token still unused.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == current.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            // Another request, on this replica or another, rotated it first; the UPDATE waited for that to commit,
            // so its successor is readable now. Never a revocation: both requests came from the token's holder.
            var winner = await db.RefreshTokens.AsNoTracking().SingleAsync(t => t.Id == current.Id, cancellationToken);
            if (IsRetry(winner, clientId, now))
            {
                return await SameSuccessorAsync(winner, presented, cancellationToken);
            }

            // With the grace off a second use is reuse however close it came (RFC 9700 §4.14.2): one use wins.
            if (options.Value.ReuseIntervalSeconds == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await ReuseDetectedAsync(current, cancellationToken);
            }

            return Refuse(RefreshResult.Concurrent, "The refresh token was already used.");
        }

        var (token, next) = mint.NewToken(current.User!, current, now);
        db.RefreshTokens.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        var successorSealed = SuccessorSeal.Seal(presented, token);
        await db.RefreshTokens.Where(t => t.Id == current.Id)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ReplacedById, next.Id).SetProperty(x => x.SuccessorSealed, successorSealed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.RecordRefresh(RefreshResult.Rotated);
        return new RefreshOutcome.Rotated(current.User!, RefreshTokenMint.Issued(token, next, current.Session!.AuthMethods));
    }

    private async Task<RefreshOutcome> ReuseDetectedAsync(RefreshToken used, CancellationToken cancellationToken)
    {
        logger.LogWarning("Refresh token reuse in family {FamilyId} of user {UserId}: revoking the family.", used.FamilyId, used.UserId);
        await sessions.EndAsync(used.FamilyId, null, SessionEndCause.ReuseDetected, cancellationToken);
        metrics.RecordRefresh(RefreshResult.ReuseDetected);
        await audit.WriteNowAsync(AuditActions.SessionReuseDetected, used.UserId, used.User?.UserName, $"session {used.FamilyId:N} revoked");
        return new RefreshOutcome.Refused("The refresh token was already used.");
    }

    /// <summary>
    /// A second use of <paramref name="used"/> that is a retry, not theft: soon after its rotation, by its client.
    /// With the interval 0 there is no retry at all, even for a racing request whose own clock reading came before
    /// the winner's (where <c>now - usedAt</c> is negative).
    /// </summary>
    private bool IsRetry(RefreshToken used, string? clientId, DateTime now) =>
        options.Value.ReuseIntervalSeconds > 0
        && used is { UsedAt: { } usedAt, ReplacedById: not null, SuccessorSealed: not null, RevokedAt: null }
        && now - usedAt <= TimeSpan.FromSeconds(options.Value.ReuseIntervalSeconds)
        && (clientId is null || used.ClientId == clientId);

    /// <summary>The successor <paramref name="used"/> was already exchanged for, if it still counts.</summary>
    private async Task<RefreshOutcome> SameSuccessorAsync(RefreshToken used, string presented, CancellationToken cancellationToken)
    {
        var successor = await db.RefreshTokens.AsNoTracking().Include(t => t.User).Include(t => t.Session)
            .SingleOrDefaultAsync(t => t.Id == used.ReplacedById, cancellationToken);
        var token = SuccessorSeal.Open(presented, used.SuccessorSealed!);
        // A successor already exchanged in turn is not handed back: its holder has moved on, and using it again
        // would count as reuse and end the session.
        if (successor is not { RevokedAt: null, UsedAt: null, User: { } user, Session: { } session } || token is null)
        {
            return Refuse(RefreshResult.Revoked, "The refresh token was already used.");
        }

        switch (SessionRule.Judge(SessionState.Of(session), successor.StampDigest, user.SecurityStamp, user.LockoutEnd, time.GetUtcNow()))
        {
            case SessionVerdict.Ended or SessionVerdict.Expired:
                return Refuse(RefreshResult.Revoked, "The refresh token was already used.");
            case SessionVerdict.AccountChanged:
                return Refuse(RefreshResult.AccountChanged, "The account changed since the refresh token was issued.");
            case SessionVerdict.AccountLocked:
                return Refuse(RefreshResult.LockedOut, "The account is locked.");
        }

        metrics.RecordRefresh(RefreshResult.Retried);

        logger.LogInformation("Refresh token of family {FamilyId} presented again within the reuse interval: answered with its successor.", used.FamilyId);
        return new RefreshOutcome.Rotated(user, RefreshTokenMint.Issued(token, successor, session.AuthMethods));
    }

    private RefreshOutcome.Refused Refuse(RefreshResult result, string reason)
    {
        metrics.RecordRefresh(result);
        return new RefreshOutcome.Refused(reason);
    }
}
