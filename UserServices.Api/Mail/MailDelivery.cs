using Microsoft.Extensions.Options;

namespace UserServices.Api.Mail;

/// <summary>Whether the service can send mail at all, and by which way: SMTP, a Development folder, or not.</summary>
public sealed class MailDelivery
{
    public MailDelivery(IOptions<MailOptions> options, IHostEnvironment environment)
    {
        var mail = options.Value;
        if (!string.IsNullOrEmpty(mail.SmtpUrl))
        {
            // An unparsable URL is refused at start by the validator, before anything asks.
            Smtp = SmtpAddress.TryParse(mail.SmtpUrl, out var smtp, out _) ? smtp : null;
        }
        else if (environment.IsDevelopment())
        {
            // In the working directory, beside the SQLite file: each instance (each checkout, each folder a service is
            // started from) has its own, where a shared temp folder mixed the mails of every instance on the machine.
            PickupDirectory = Path.GetFullPath(string.IsNullOrEmpty(mail.PickupDirectory) ? DefaultPickupDirectory : mail.PickupDirectory);
        }
    }

    public const string DefaultPickupDirectory = "userservices-mail";

    /// <summary>The relay, when SMTP_URL is set.</summary>
    public SmtpAddress? Smtp { get; }

    /// <summary>The folder Development writes .eml files to when SMTP_URL is unset.</summary>
    public string? PickupDirectory { get; }

    /// <summary>False in Production without SMTP_URL: the endpoints that would send mail answer 503.</summary>
    public bool IsConfigured => Smtp is not null || PickupDirectory is not null;
}
