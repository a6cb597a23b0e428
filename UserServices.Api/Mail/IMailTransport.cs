using MimeKit;

namespace UserServices.Api.Mail;

/// <summary>The last step of a mail: an SMTP relay, or a folder of .eml files in Development.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
