using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;
using UserServices.Data;
using UserServices.Data.Audit;
using UserServices.Data.Tokens;
using UserServices.Data.Users;

namespace UserServices.Api.Sessions;

/// <summary>
/// Opaque refresh tokens (256 random bits), kept only as SHA-256 hashes, rotated on every use. Using a token
/// that was already rotated is taken as theft and ends its whole family — unless it comes back within the reuse
/// interval, which is a retry and gets the same successor (decided in the database, so it holds across replicas).
/// </summary>
public sealed class RefreshTokenStore(
    UserServicesDbContext db,
    IOptions<RefreshTokenOptions> options,
    SessionStore sessions,
    TimeProvider time,
    AuditLog audit,
    ILogger<RefreshTokenStore> logger,
    ServiceMetrics metrics)
{
    /// <summary>Ours are 43 characters; anything much longer is refused without a lookup.</summary>
    public const int MaxTokenLength = 1024;

    /// <summary>
    /// Starts a sign-in session at a password login, for <paramref name="clientId"/> with the <paramref name="scope"/>
    /// granted, from <paramref name="origin"/>: its session row and first refresh token, saved with the
    /// <paramref name="login"/> event in one save.
    /// </summary>
    public async Task<IssuedRefreshToken> IssueAsync(
        User user, string clientId, string? scope, AuditEvent login, RequestOrigin origin, CancellationToken cancellationToken,
        string authMethods = SessionStore.PasswordMethod)
    {
        var now = Now();
        var session = sessions.Start(user, clientId, origin, now, authMethods);
        var family = new RefreshToken
        {
            TokenHash = "",
            StampDigest = "",
            FamilyId = session.Id,
            FamilyExpiresAt = session.AbsoluteExpiresAt,
            AuthTime = session.AuthTime,
            ClientId = clientId,
            Scope = scope,
        };
        var (token, row) = NewToken(user, family, now);
        db.RefreshTokens.Add(row);
        audit.AddTo(db, login);
        await db.SaveChangesAsync(cancellationToken);
        return Issued(token, row, session.AuthMethods);
    }

    /// <param name="clientId">With registered clients, the authenticated client, which must be the one the token was issued to; else null.</param>
    /// <param name="origin">Where the request came from: the session's last use.</param>
    public async Task<RefreshOutcome> RotateAsync(string presented, string? clientId, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var now = Now();
        var hash = Hash(presented);
        var current = await db.RefreshTokens.Include(t => t.User).Include(t => t.Session)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (current is null)
        {
            metrics.RecordRefresh(RefreshResult.Unknown);
            return new RefreshOutcome.Refused("The refresh token is unknown.");
        }

        if (current.RevokedAt is not null)
        {
            metrics.RecordRefresh(RefreshResult.Revoked);
            return new RefreshOutcome.Refused("The refresh token was revoked.");
        }

        if (current.UsedAt is not null)
        {
            if (IsRetry(current, clientId, now))
            {
                return await SameSuccessorAsync(current, presented, cancellationToken);
            }

            return await ReuseDetectedAsync(current, cancellationToken);
        }

        var user = current.User!;
        var verdict = SessionRule.Judge(
            current.Session is { } session ? SessionState.Of(session) : null, current.StampDigest, user.SecurityStamp, user.LockoutEnd, time.GetUtcNow());
        if (verdict == SessionVerdict.Ended)
        {
            metrics.RecordRefresh(RefreshResult.Revoked);
            return new RefreshOutcome.Refused("The refresh token was revoked.");
        }

        // The token's own idle expiry too: it is the session's, unless someone moved one of them by hand.
        if (verdict == SessionVerdict.Expired || now >= current.ExpiresAt || now >= current.FamilyExpiresAt)
        {
            metrics.RecordRefresh(RefreshResult.Expired);
            return new RefreshOutcome.Refused("The refresh token has expired.");
        }

        // RFC 6749 §6: a refresh token is bound to the client it was issued to.
        if (clientId is not null && current.ClientId != clientId)
        {
            metrics.RecordRefresh(RefreshResult.WrongClient);
            return new RefreshOutcome.Refused("The refresh token was issued to another client.");
        }

        if (verdict == SessionVerdict.AccountChanged)
        {
            await sessions.EndAsync(current.FamilyId, null, SessionEndCause.AccountChanged, cancellationToken);
            metrics.RecordRefresh(RefreshResult.AccountChanged);
            return new RefreshOutcome.Refused("The account changed since the refresh token was issued.");
        }

        // Refused while locked, but not ended: a lockout that others can cause by guessing must not end the
        // owner's sign-in for good.
        if (verdict == SessionVerdict.AccountLocked)
        {
            metrics.RecordRefresh(RefreshResult.LockedOut);
            return new RefreshOutcome.Refused("The account is locked.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The session row first, as ending a session does: whoever comes second waits for the first to commit and
        // then sees what it did, so a session ended meanwhile refuses here, and a rotation that got in first has its
        // successor revoked by the ending.
        if (!await sessions.TouchAsync(current.Session!, origin, now, cancellationToken))
        {
            metrics.RecordRefresh(RefreshResult.Revoked);
            return new RefreshOutcome.Refused("The refresh token was revoked.");
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

            metrics.RecordRefresh(RefreshResult.Concurrent);
            return new RefreshOutcome.Refused("The refresh token was already used.");
        }

        var (token, next) = NewToken(user, current, now);
        db.RefreshTokens.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        var successorSealed = SuccessorSeal.Seal(presented, token);
        await db.RefreshTokens.Where(t => t.Id == current.Id)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ReplacedById, next.Id).SetProperty(x => x.SuccessorSealed, successorSealed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.RecordRefresh(RefreshResult.Rotated);
        return new RefreshOutcome.Rotated(user, Issued(token, next, current.Session!.AuthMethods));
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
            metrics.RecordRefresh(RefreshResult.Revoked);
            return new RefreshOutcome.Refused("The refresh token was already used.");
        }

        switch (SessionRule.Judge(SessionState.Of(session), successor.StampDigest, user.SecurityStamp, user.LockoutEnd, time.GetUtcNow()))
        {
            case SessionVerdict.Ended or SessionVerdict.Expired:
                metrics.RecordRefresh(RefreshResult.Revoked);
                return new RefreshOutcome.Refused("The refresh token was already used.");
            case SessionVerdict.AccountChanged:
                metrics.RecordRefresh(RefreshResult.AccountChanged);
                return new RefreshOutcome.Refused("The account changed since the refresh token was issued.");
            case SessionVerdict.AccountLocked:
                metrics.RecordRefresh(RefreshResult.LockedOut);
                return new RefreshOutcome.Refused("The account is locked.");
        }

        metrics.RecordRefresh(RefreshResult.Retried);

        logger.LogInformation("Refresh token of family {FamilyId} presented again within the reuse interval: answered with its successor.", used.FamilyId);
        return new RefreshOutcome.Rotated(user, Issued(token, successor, session.AuthMethods));
    }

    /// <summary>
    /// RFC 7009: ends the family of the presented token; unknown tokens are silently ignored, and so are tokens of
    /// another client when <paramref name="clientId"/> is given, so the answer says nothing about them either.
    /// </summary>
    public async Task RevokeAsync(string presented, string? clientId, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        var found = await db.RefreshTokens.Where(t => t.TokenHash == hash)
            .Select(t => new { t.FamilyId, t.ClientId, t.UserId, t.User!.UserName }).SingleOrDefaultAsync(cancellationToken);
        if (found is not null && (clientId is null || found.ClientId == clientId))
        {
            await sessions.EndAsync(found.FamilyId, null, SessionEndCause.Revoked, cancellationToken);
            await audit.WriteNowAsync(AuditActions.SessionRevoked, found.UserId, found.UserName, $"session {found.FamilyId:N}");
        }
    }

    /// <summary>
    /// The presented refresh token's row if it could be used right now (not revoked, used or expired, its session
    /// usable by <see cref="SessionRule"/>), else null. Looks only; a used token found here is not treated as reuse.
    /// </summary>
    public async Task<RefreshToken?> FindLiveAsync(string presented, CancellationToken cancellationToken)
    {
        if (presented.Length > MaxTokenLength)
        {
            return null;
        }

        var now = Now();
        var hash = Hash(presented);
        var row = await db.RefreshTokens.AsNoTracking().Include(t => t.User).Include(t => t.Session)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return row is { RevokedAt: null, UsedAt: null, User: { } user, Session: { } session }
            && now < row.ExpiresAt && now < row.FamilyExpiresAt
            && SessionRule.Judge(SessionState.Of(session), row.StampDigest, user.SecurityStamp, user.LockoutEnd, time.GetUtcNow()) == SessionVerdict.Usable
            ? row
            : null;
    }

    /// <summary>Ends every session of the account (a new password, a lock, an admin's change or logout), except none.</summary>
    public Task<int> RevokeAllAsync(int userId, CancellationToken cancellationToken, SessionEndCause cause = SessionEndCause.AccountChanged) =>
        sessions.EndAllAsync(userId, except: null, cause, cancellationToken);

    /// <summary>The next token of <paramref name="family"/>'s session, carrying over what the session started with.</summary>
    private (string Token, RefreshToken Row) NewToken(User user, RefreshToken family, DateTime now)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var idleExpiry = now.AddDays(options.Value.IdleLifetimeDays);
        return (token, new RefreshToken
        {
            UserId = user.Id,
            TokenHash = Hash(token),
            FamilyId = family.FamilyId,
            IssuedAt = now,
            ExpiresAt = idleExpiry < family.FamilyExpiresAt ? idleExpiry : family.FamilyExpiresAt,
            FamilyExpiresAt = family.FamilyExpiresAt,
            StampDigest = SessionBinding.DigestOf(user.SecurityStamp),
            AuthTime = family.AuthTime,
            ClientId = family.ClientId,
            Scope = family.Scope,
        });
    }

    private static IssuedRefreshToken Issued(string token, RefreshToken row, string authMethods) =>
        new(token, row.FamilyId, row.ClientId, DateTime.SpecifyKind(row.AuthTime, DateTimeKind.Utc), row.Scope, authMethods);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);
}
