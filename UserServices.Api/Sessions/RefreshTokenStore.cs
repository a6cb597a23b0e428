using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Data;
using UserServices.Data.Audit;
using UserServices.Data.Tokens;
using UserServices.Data.Users;

namespace UserServices.Api.Sessions;

/// <summary>
/// Opaque refresh tokens (<see cref="RefreshTokenMint"/>), rotated on every use (<see cref="RefreshTokenRotation"/>):
/// issuing a session's first one at a password login, revoking, and looking one up without using it.
/// </summary>
public sealed class RefreshTokenStore(
    UserServicesDbContext db,
    RefreshTokenMint mint,
    RefreshTokenRotation rotation,
    SessionStore sessions,
    TimeProvider time,
    AuditLog audit)
{
    /// <summary>Ours are 43 characters; anything much longer is refused without a lookup.</summary>
    public const int MaxTokenLength = 1024;

    /// <summary>
    /// Starts a sign-in session at a password login, for <paramref name="clientId"/> with the <paramref name="scope"/>
    /// granted, from <paramref name="origin"/>: its session row and first refresh token, saved with the
    /// <paramref name="login"/> event in one save. <paramref name="authMethods"/>: how the person proved who they are
    /// (RFC 8176 <c>amr</c> values, space-separated), kept on the session for every access token of it.
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
        var (token, row) = mint.NewToken(user, family, now);
        db.RefreshTokens.Add(row);
        audit.AddTo(db, login);
        await db.SaveChangesAsync(cancellationToken);
        return RefreshTokenMint.Issued(token, row, session.AuthMethods);
    }

    /// <summary>Exchanges a refresh token for its successor (<see cref="RefreshTokenRotation"/>).</summary>
    public Task<RefreshOutcome> RotateAsync(string presented, string? clientId, RequestOrigin origin, CancellationToken cancellationToken) =>
        rotation.RotateAsync(presented, clientId, origin, cancellationToken);

    /// <summary>
    /// RFC 7009: ends the family of the presented token; unknown tokens are silently ignored, and so are tokens of
    /// another client when <paramref name="clientId"/> is given, so the answer says nothing about them either.
    /// </summary>
    public async Task RevokeAsync(string presented, string? clientId, CancellationToken cancellationToken)
    {
        var hash = RefreshTokenMint.Hash(presented);
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
        var hash = RefreshTokenMint.Hash(presented);
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

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
