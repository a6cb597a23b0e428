using UserServices.Api.Hosting;
using UserServices.Data;
using UserServices.Data.Mail;

namespace UserServices.Api.Mail;

/// <summary>
/// Puts a mail in the outbox as part of the caller's unit of work: the row is saved by the caller's own
/// <c>SaveChanges</c>, in its transaction, so a change and the mail about it are committed together or not at all.
/// </summary>
public sealed class MailOutbox(UserServicesDbContext db, MailSignal signal, TimeProvider time, IHttpContextAccessor http)
{
    public void Add(string kind, string recipient, int? userId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var origin = RequestOrigin.Of(http.HttpContext);
        db.MailOutbox.Add(new OutboxMessage
        {
            Kind = kind,
            Recipient = recipient,
            UserId = userId,
            CreatedAt = now,
            AvailableAt = now,
            RequesterIp = origin.Ip,
            RequesterUserAgent = origin.UserAgent,
        });
    }

    /// <summary>Tells this replica's sender to look now rather than at its next poll; call it after the commit.</summary>
    public void Wake() => signal.Wake();
}
