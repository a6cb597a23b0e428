using System.Security.Claims;
using UserServices.Api.Hosting;
using UserServices.Data;
using UserServices.Data.Audit;
using UserServices.Data.Users;

namespace UserServices.Api.Audit;

/// <summary>
/// Records what happened to accounts, who did it and from where. <see cref="Record(string, User, string?)"/> adds the
/// event to the request's own database context, so it is saved by the same <c>SaveChanges</c> (and transaction) as
/// the change it describes: a change that rolls back leaves no event, and no change is saved without its event.
/// <c>WriteNowAsync</c> is for events with no change of their own (a failed login). Each saved event is also
/// one structured log line. Never put a password, hash, token or secret in <c>detail</c>.
/// </summary>
public sealed class AuditLog(
    UserServicesDbContext db,
    IHttpContextAccessor http,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<AuditLog> logger)
{
    /// <summary>The actor of the operator commands, which run without a signed-in caller.</summary>
    public const string CliActor = "cli";

    /// <summary>The actor of the service's own background work (the mail sender), which has no request.</summary>
    public const string SystemActor = "system";

    private readonly List<AuditEvent> _pending = [];
    private string? _actor;
    private bool _listening;

    /// <summary>Names the actor of every event of this scope, for work done outside a request.</summary>
    public void ActAs(string actor) => _actor = actor;

    /// <summary>Adds the event to the scope's context; the caller's next <c>SaveChanges</c> writes it.</summary>
    public AuditEvent Record(string action, User user, string? detail = null) => Record(action, user.Id, user.UserName, detail);

    /// <inheritdoc cref="Record(string, User, string?)"/>
    public AuditEvent Record(string action, int? userId, string? userName, string? detail = null)
    {
        var audit = Create(action, userId, userName, detail);
        db.AuditEvents.Add(audit);
        _pending.Add(audit);
        if (!_listening)
        {
            _listening = true;
            db.SavedChanges += (_, _) => LogSaved();
        }

        return audit;
    }

    /// <summary>Takes back the events recorded but not yet saved, when the change they describe did not happen.</summary>
    public void Discard()
    {
        foreach (var audit in _pending.Where(e => e.Id == 0))
        {
            db.Entry(audit).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        }

        _pending.Clear();
    }

    /// <summary>Saves the event at once, on a context of its own, whatever the scope's context holds.</summary>
    public async Task WriteNowAsync(string action, int? userId, string? userName, string? detail = null)
    {
        var audit = Create(action, userId, userName, detail);
        await using var scope = scopes.CreateAsyncScope();
        var own = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        own.AuditEvents.Add(audit);
        // Not the request's token: a client that hangs up after a failed login must not erase the record of it.
        await own.SaveChangesAsync(CancellationToken.None);
        Log(audit);
    }

    public Task WriteNowAsync(string action, User user, string? detail = null) => WriteNowAsync(action, user.Id, user.UserName, detail);

    private AuditEvent Create(string action, int? userId, string? userName, string? detail)
    {
        var context = http.HttpContext;
        var caller = context?.User;
        int? actorId = null;
        string? actor = _actor;
        if (actor is null && caller?.Identity?.IsAuthenticated == true)
        {
            actorId = int.TryParse(caller.FindFirstValue("sub"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                ? id
                : null;
            actor = caller.Identity.Name;
        }

        var origin = RequestOrigin.Of(context);
        return new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Action = action,
            UserId = userId,
            UserName = Truncate(userName, AuditEvent.MaxUserNameLength),
            ActorId = actorId,
            Actor = Truncate(actor, AuditEvent.MaxActorLength),
            Ip = Truncate(origin.Ip, AuditEvent.MaxIpLength),
            UserAgent = Truncate(origin.UserAgent, AuditEvent.MaxUserAgentLength),
            Detail = Truncate(detail, AuditEvent.MaxDetailLength),
        };
    }

    private void LogSaved()
    {
        foreach (var audit in _pending.Where(e => e.Id != 0).ToList())
        {
            Log(audit);
            _pending.Remove(audit);
        }
    }

    private void Log(AuditEvent audit) => logger.LogInformation(
        "Audit {AuditAction}: user {AuditUserId} {AuditUserName}, actor {AuditActorId} {AuditActor}, ip {AuditIp}, detail {AuditDetail}",
        audit.Action, audit.UserId, audit.UserName, audit.ActorId, audit.Actor, audit.Ip, audit.Detail);

    private static string? Truncate(string? value, int length) => value is { } text && text.Length > length ? text[..length] : value;
}
