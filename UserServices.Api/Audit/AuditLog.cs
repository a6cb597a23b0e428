using UserServices.Api.Hosting;
using UserServices.Data;
using UserServices.Data.Audit;
using UserServices.Data.Users;

namespace UserServices.Api.Audit;

/// <summary>
/// Records what happened to accounts, who did it and from where. The code that owns a change's save adds the
/// change's event to that same context with <see cref="AddTo(UserServicesDbContext, string, User, string?)"/>, just
/// before its <c>SaveChanges</c> (or the Identity call that saves), so the change and its event commit or roll back
/// together. <c>WriteNowAsync</c> is for events with no change of their own (a failed login). Each event is also one
/// structured log line. Never put a password, hash, token or secret in <c>detail</c>.
/// </summary>
public sealed class AuditLog(
    IHttpContextAccessor http,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<AuditLog> logger)
{
    /// <summary>The actor of the operator commands, which run without a signed-in caller.</summary>
    public const string CliActor = "cli";

    /// <summary>The actor of the service's own background work (the mail sender), which has no request.</summary>
    public const string SystemActor = "system";

    private string? _actor;

    /// <summary>Names the actor of every event of this scope, for work done outside a request.</summary>
    public void ActAs(string actor) => _actor = actor;

    /// <summary>
    /// Adds the event to <paramref name="db"/>, for the caller's own save, next, to write with its change. The log
    /// line is written now: a save that then fails leaves a log line without its row (the table is the record).
    /// </summary>
    public AuditEvent AddTo(UserServicesDbContext db, string action, User user, string? detail = null) =>
        AddTo(db, Event(action, user.Id, user.UserName, detail));

    /// <inheritdoc cref="AddTo(UserServicesDbContext, string, User, string?)"/>
    public AuditEvent AddTo(UserServicesDbContext db, AuditEvent audit)
    {
        db.AuditEvents.Add(audit);
        Log(audit);
        return audit;
    }

    /// <summary>An event for this scope's actor and request, not yet added anywhere (see <see cref="AddTo(UserServicesDbContext, AuditEvent)"/>).</summary>
    public AuditEvent Event(string action, User user, string? detail = null) => Event(action, user.Id, user.UserName, detail);

    /// <summary>Saves the event at once, on a context of its own, whatever the scope's context holds.</summary>
    public async Task WriteNowAsync(string action, int? userId, string? userName, string? detail = null)
    {
        var audit = Event(action, userId, userName, detail);
        await using var scope = scopes.CreateAsyncScope();
        var own = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        own.AuditEvents.Add(audit);
        // Not the request's token: a client that hangs up after a failed login must not erase the record of it.
        await own.SaveChangesAsync(CancellationToken.None);
        Log(audit);
    }

    public Task WriteNowAsync(string action, User user, string? detail = null) => WriteNowAsync(action, user.Id, user.UserName, detail);

    public AuditEvent Event(string action, int? userId, string? userName, string? detail = null)
    {
        var context = http.HttpContext;
        var caller = context?.User;
        int? actorId = null;
        string? actor = _actor;
        if (actor is null && caller?.Identity?.IsAuthenticated == true)
        {
            actorId = caller.UserId();
            actor = caller.Identity.Name;
        }

        var address = context?.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        return new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Action = action,
            UserId = userId,
            UserName = Truncate(userName, AuditEvent.MaxUserNameLength),
            ActorId = actorId,
            Actor = Truncate(actor, AuditEvent.MaxActorLength),
            Ip = Truncate(address?.ToString(), AuditEvent.MaxIpLength),
            UserAgent = Truncate(context?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, AuditEvent.MaxUserAgentLength),
            Detail = Truncate(detail, AuditEvent.MaxDetailLength),
        };
    }

    private void Log(AuditEvent audit) => logger.LogInformation(
        "Audit {AuditAction}: user {AuditUserId} {AuditUserName}, actor {AuditActorId} {AuditActor}, ip {AuditIp}, detail {AuditDetail}",
        audit.Action, audit.UserId, audit.UserName, audit.ActorId, audit.Actor, audit.Ip, audit.Detail);

    /// <summary>
    /// Cut to the column's length, and U+0000 (which a refusal's text can quote from what a client sent) shown as
    /// U+FFFD: PostgreSQL's text cannot hold it, and the event must not be lost with the request's answer.
    /// </summary>
    private static string? Truncate(string? value, int length) =>
        (value is { } text && text.Length > length ? text[..length] : value)?.Replace('\0', '\uFFFD');
}
