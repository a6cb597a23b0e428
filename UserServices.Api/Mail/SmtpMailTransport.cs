using MailKit.Net.Smtp;
using MimeKit;

namespace UserServices.Api.Mail;

/// <summary>Sends through the relay in SMTP_URL with MailKit, one connection per mail.</summary>
public sealed class SmtpMailTransport(SmtpAddress relay) : IMailTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(relay.Host, relay.Port, relay.Security, cancellationToken);
        if (relay.UserName is not null)
        {
            await client.AuthenticateAsync(relay.UserName, relay.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
