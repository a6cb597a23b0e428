using System.Globalization;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using UserServices.Api.Audit;
using UserServices.Data;
using UserServices.Data.Mail;
using UserServices.Data.Users;

namespace UserServices.Api.Mail;

/// <summary>
/// Sends the outbox, off the request path. Each round claims due rows with a lease (so two replicas never send the
/// same row, and a replica that dies mid-send leaves it to another once the lease ends), sends them, and marks them
/// done, or due again later with a doubling delay. A mail is sent again only when the process dies between the
/// relay's acceptance and the mark, the unavoidable window of any outbox.
/// </summary>
public sealed class MailSender(
    IServiceScopeFactory scopes,
    MailDelivery delivery,
    MailSignal signal,
    MailTemplates templates,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<MailSender> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);
    private readonly Guid _lease = Guid.NewGuid();

    // Development's fallback links, for the newcomer who has no client application yet: the token is in the URL.
    internal const string DevelopmentResetUrl = "http://localhost:3000/reset-password?token={token}";
    internal const string DevelopmentConfirmationUrl = "http://localhost:3000/confirm-email?token={token}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!delivery.IsConfigured)
        {
            return;
        }

        if (delivery.PickupDirectory is { } folder)
        {
            logger.LogInformation("SMTP_URL is not set: mail is written as .eml files to {MailFolder}.", folder);
        }

        IMailTransport transport = delivery.Smtp is { } relay ? new SmtpMailTransport(relay) : new PickupFolderTransport(delivery.PickupDirectory!);
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await SendDueAsync(transport, stoppingToken) == BatchSize;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database is down or similar: the rows stay where they are, the next round tries again.
                logger.LogError(e, "The mail outbox could not be processed; retrying at the next poll.");
            }

            if (!full)
            {
                try
                {
                    await signal.WaitAsync(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One round: claims and sends what is due; returns how many rows it claimed.</summary>
    internal async Task<int> SendDueAsync(IMailTransport transport, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var now = Now();
        var due = await db.MailOutbox.AsNoTracking()
            .Where(m => m.DoneAt == null && m.AvailableAt <= now && (m.LeasedUntil == null || m.LeasedUntil < now))
            .OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var claimed = 0;
        foreach (var message in due)
        {
            var until = now.AddSeconds(options.Value.LeaseSeconds);
            // The claim: only one replica's UPDATE finds the row still unleased.
            if (await db.MailOutbox.Where(m => m.Id == message.Id && m.DoneAt == null && (m.LeasedUntil == null || m.LeasedUntil < now))
                    .ExecuteUpdateAsync(m => m.SetProperty(x => x.LeaseId, _lease).SetProperty(x => x.LeasedUntil, until), cancellationToken) != 1)
            {
                continue;
            }

            claimed++;
            // A scope (and database context) per mail: what one mail's failed save left tracked cannot ride along
            // with the next one's.
            await using var mailScope = scopes.CreateAsyncScope();
            mailScope.ServiceProvider.GetRequiredService<AuditLog>().ActAs(AuditLog.SystemActor);
            await SendOneAsync(mailScope.ServiceProvider, transport, message, cancellationToken);
        }

        return claimed;
    }

    private async Task SendOneAsync(IServiceProvider services, IMailTransport transport, OutboxMessage row, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<UserServicesDbContext>();
        try
        {
            var message = await ComposeAsync(services, row, cancellationToken);
            if (message is null)
            {
                await FinishAsync(db, row, "skipped", cancellationToken);
                return;
            }

            await transport.SendAsync(message, cancellationToken);
            await FinishAsync(db, row, "sent", cancellationToken);
            logger.LogInformation("Mail {MailId} ({MailKind}) sent.", row.Id, row.Kind);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var attempts = row.Attempts + 1;
            // A relay that refuses the mail for good (5xx: no such mailbox, sender refused) will not change its mind.
            var permanent = e is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 };
            var error = Shorten(e.GetType().Name + ": " + e.Message);
            if (permanent || attempts >= options.Value.MaxAttempts)
            {
                logger.LogError("Mail {MailId} ({MailKind}) given up after {Attempts} attempts: {MailError}", row.Id, row.Kind, attempts, error);
                await db.MailOutbox.Where(m => m.Id == row.Id && m.LeaseId == _lease).ExecuteUpdateAsync(
                    m => m.SetProperty(x => x.Attempts, attempts).SetProperty(x => x.DoneAt, Now()).SetProperty(x => x.Outcome, "failed")
                        .SetProperty(x => x.LastError, error).SetProperty(x => x.LeaseId, (Guid?)null).SetProperty(x => x.LeasedUntil, (DateTime?)null),
                    CancellationToken.None);
                return;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(options.Value.RetryDelaySeconds * Math.Pow(2, attempts - 1), MaxRetryDelay.TotalSeconds));
            logger.LogWarning("Mail {MailId} ({MailKind}) not sent (attempt {Attempts}), retrying in {RetryDelay}: {MailError}", row.Id, row.Kind, attempts, delay, error);
            var next = Now() + delay;
            await db.MailOutbox.Where(m => m.Id == row.Id && m.LeaseId == _lease).ExecuteUpdateAsync(
                m => m.SetProperty(x => x.Attempts, attempts).SetProperty(x => x.AvailableAt, next).SetProperty(x => x.LastError, error)
                    .SetProperty(x => x.LeaseId, (Guid?)null).SetProperty(x => x.LeasedUntil, (DateTime?)null),
                CancellationToken.None);
        }
    }

    /// <summary>The message for a row, or null when there is nothing (any more) to say: no such account, already done.</summary>
    private async Task<MimeMessage?> ComposeAsync(IServiceProvider services, OutboxMessage row, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<UserManager<User>>();
        var tokens = services.GetRequiredService<AccountTokens>();
        var mail = options.Value;
        var user = row.Kind == MailKind.PasswordReset
            ? await users.FindByEmailAsync(row.Recipient)
            : row.UserId is { } id ? await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture)) : null;
        // The request path did the same work for every address; only here is it known whether an account has it.
        if (user is null || string.IsNullOrEmpty(user.Email))
        {
            return null;
        }

        var values = new Dictionary<string, string>
        {
            ["username"] = user.UserName ?? "",
            ["email"] = row.Recipient,
            ["minutes"] = mail.PasswordResetMinutes.ToString(CultureInfo.InvariantCulture),
            ["hours"] = mail.EmailConfirmationHours.ToString(CultureInfo.InvariantCulture),
        };
        var confirmationLifetime = TimeSpan.FromHours(mail.EmailConfirmationHours);
        switch (row.Kind)
        {
            case MailKind.PasswordReset:
                // Recorded here, where alone it is known that an account has the address, and saved with the token
                // it describes; the request path stayed the same for every address. A retried send mints a new
                // link and records it again under the same mail id.
                var requested = services.GetRequiredService<AuditLog>().Event(AuditActions.PasswordResetRequested, user, $"reset link issued (mail {row.Id})");
                // From the request that asked, which the outbox row kept: the sender has none of its own.
                requested.Ip = row.RequesterIp;
                requested.UserAgent = row.RequesterUserAgent;
                var reset = await tokens.MintAsync(
                    user, TokenPurpose.PasswordReset, null, TimeSpan.FromMinutes(mail.PasswordResetMinutes), cancellationToken, minted: requested);
                values["link"] = Link(mail.PasswordResetUrl ?? DevelopmentResetUrl, reset);
                return await templates.ComposeAsync(row.Kind, new MailboxAddress(user.UserName, user.Email), values, cancellationToken);
            case MailKind.EmailConfirmation:
                if (user.EmailConfirmed || !string.Equals(user.Email, row.Recipient, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                var confirm = await tokens.MintAsync(user, TokenPurpose.ConfirmEmail, user.Email, confirmationLifetime, cancellationToken);
                values["link"] = Link(mail.EmailConfirmationUrl ?? DevelopmentConfirmationUrl, confirm);
                return await templates.ComposeAsync(row.Kind, new MailboxAddress(user.UserName, user.Email), values, cancellationToken);
            case MailKind.EmailChange:
                var change = await tokens.MintAsync(user, TokenPurpose.ChangeEmail, row.Recipient, confirmationLifetime, cancellationToken);
                values["link"] = Link(mail.EmailConfirmationUrl ?? DevelopmentConfirmationUrl, change);
                return await templates.ComposeAsync(row.Kind, new MailboxAddress(user.UserName, row.Recipient), values, cancellationToken);
            case MailKind.EmailChangeNotice:
                return await templates.ComposeAsync(row.Kind, new MailboxAddress(user.UserName, row.Recipient), values, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown mail kind '{row.Kind}'.");
        }
    }

    private async Task FinishAsync(UserServicesDbContext db, OutboxMessage row, string outcome, CancellationToken cancellationToken)
    {
        var now = Now();
        await db.MailOutbox.Where(m => m.Id == row.Id && m.LeaseId == _lease).ExecuteUpdateAsync(
            m => m.SetProperty(x => x.DoneAt, now).SetProperty(x => x.Outcome, outcome).SetProperty(x => x.Attempts, row.Attempts + 1)
                .SetProperty(x => x.LeaseId, (Guid?)null).SetProperty(x => x.LeasedUntil, (DateTime?)null),
            // Once the relay has the mail, the mark must not be skipped by a shutdown: that is how a mail goes out twice.
            CancellationToken.None);
    }

    /// <summary>Done rows are kept a week (to answer "did it go out?"), then deleted with the addresses they hold.</summary>
    private static string Link(string template, string token) => template.Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500];

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
