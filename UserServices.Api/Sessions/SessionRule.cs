using System.Linq.Expressions;
using UserServices.Data.Sessions;

namespace UserServices.Api.Sessions;

/// <summary>
/// The one rule for "may this token's session still be used", applied by the refresh grant, the bearer check and
/// introspection alike, and the one definition of a live session that the session list, ending a session and the
/// admin view query with. A session is live while it has not been ended and has not expired (OWASP ASVS 5.0 7.4.1:
/// once terminated, no further use); its token is usable while its session is live and its account has neither
/// changed its security stamp nor is locked.
/// </summary>
public static class SessionRule
{
    /// <summary>The definition, as an expression so that it runs in SQL as well as here: (ended at, expires at, now).</summary>
    private static readonly Expression<Func<DateTime?, DateTime, DateTime, bool>> Live =
        (endedAt, expiresAt, now) => endedAt == null && now < expiresAt;

    private static readonly Func<DateTime?, DateTime, DateTime, bool> IsLive = Live.Compile();

    /// <summary>The rule as a filter on session rows, for queries and conditional updates (<paramref name="now"/> is sent as a parameter).</summary>
    public static Expression<Func<Session, bool>> LiveAt(DateTime now)
    {
        var session = Expression.Parameter(typeof(Session), "s");
        // A member of a captured object, not a constant, so EF Core sends it as a parameter and reuses the plan.
        var clock = Expression.Field(Expression.Constant(new Clock(now)), nameof(Clock.Now));
        var body = new Substitution(new Dictionary<ParameterExpression, Expression>
        {
            [Live.Parameters[0]] = Expression.Property(session, nameof(Session.EndedAt)),
            [Live.Parameters[1]] = Expression.Property(session, nameof(Session.ExpiresAt)),
            [Live.Parameters[2]] = clock,
        }).Visit(Live.Body);
        return Expression.Lambda<Func<Session, bool>>(body, session);
    }

    /// <summary>
    /// Whether a token of <paramref name="session"/> (null: no such session of this account) may be used now, given the
    /// stamp digest the token carries and its account's current security stamp and lockout.
    /// </summary>
    public static SessionVerdict Judge(SessionState? session, string? stampDigest, string? securityStamp, DateTimeOffset? lockoutEnd, DateTimeOffset now)
    {
        if (session is null || !IsLive(session.EndedAt, session.ExpiresAt, now.UtcDateTime))
        {
            return session is { EndedAt: null } ? SessionVerdict.Expired : SessionVerdict.Ended;
        }

        if (stampDigest != SessionBinding.DigestOf(securityStamp))
        {
            return SessionVerdict.AccountChanged;
        }

        return lockoutEnd is { } end && end > now ? SessionVerdict.AccountLocked : SessionVerdict.Usable;
    }

    private sealed class Clock(DateTime now)
    {
        public readonly DateTime Now = now;
    }

    private sealed class Substitution(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? replacement : node;
    }
}
