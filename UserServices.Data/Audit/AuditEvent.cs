namespace UserServices.Data.Audit;

/// <summary>
/// One thing that happened to an account, kept for <c>Audit:RetentionDays</c>. It names the user by id and by the
/// username of the moment, without a foreign key, so the events of a deleted account stay readable.
/// </summary>
public class AuditEvent
{
    public const int MaxActionLength = 64;
    public const int MaxUserNameLength = 256;
    public const int MaxActorLength = 256;
    public const int MaxIpLength = 64;
    public const int MaxUserAgentLength = 256;
    public const int MaxDetailLength = 1024;

    public long Id { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    /// <summary>A dotted name such as <c>login.failed</c>.</summary>
    public required string Action { get; set; }

    /// <summary>The account the event is about; null for a login with an unknown username.</summary>
    public int? UserId { get; set; }

    /// <summary>The account's username at the time, or the username as typed for an unknown one.</summary>
    public string? UserName { get; set; }

    /// <summary>The authenticated caller who acted, when the request had one.</summary>
    public int? ActorId { get; set; }

    /// <summary>Who acted, by name: the caller's username, or <c>cli</c> for an operator command.</summary>
    public string? Actor { get; set; }

    public string? Ip { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Free text: the reason, the fields changed, the roles before and after. Never a secret.</summary>
    public string? Detail { get; set; }
}
