using UserServices.Data.Sessions;

namespace UserServices.Api.Sessions;

/// <summary>What <see cref="SessionRule"/> needs of a session row: whether and when it ended, and when it expires.</summary>
public sealed record SessionState(DateTime? EndedAt, DateTime ExpiresAt)
{
    /// <summary>A session taken as live without reading it: only when <c>Sessions:CheckOnEveryRequest</c> is off.</summary>
    public static readonly SessionState Unchecked = new(null, DateTime.MaxValue);

    public static SessionState Of(Session session) => new(session.EndedAt, session.ExpiresAt);
}
