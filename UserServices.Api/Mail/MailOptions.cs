using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Mail;

/// <summary>How mail leaves the service, and what its links point at.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>
    /// <c>smtp://[user:password@]host[:port]</c> (STARTTLS when offered; <c>?starttls=required</c> insists) or
    /// <c>smtps://…</c> (TLS from the first byte). Unset: Development writes .eml files, elsewhere mail is off.
    /// </summary>
    public string? SmtpUrl { get; set; }

    /// <summary>The From header, e.g. <c>"User Services" &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "\"User Services\" <no-reply@localhost>";

    /// <summary>The client application's reset page; <c>{token}</c> is replaced by the token.</summary>
    public string? PasswordResetUrl { get; set; }

    /// <summary>The client application's confirmation page; <c>{token}</c> is replaced by the token.</summary>
    public string? EmailConfirmationUrl { get; set; }

    [Range(1, 24 * 60, ErrorMessage = "Mail:PasswordResetMinutes must be between 1 and 1440.")]
    public int PasswordResetMinutes { get; set; } = 30;

    [Range(1, 24 * 30, ErrorMessage = "Mail:EmailConfirmationHours must be between 1 and 720.")]
    public int EmailConfirmationHours { get; set; } = 48;

    /// <summary>A folder whose files replace the built-in templates of the same name.</summary>
    public string? TemplatesPath { get; set; }

    /// <summary>Where Development writes mails as .eml files when SMTP_URL is unset.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>The wait before the first retry of a failed delivery; it doubles with each failure, up to an hour.</summary>
    [Range(1, 3600, ErrorMessage = "Mail:RetryDelaySeconds must be between 1 and 3600.")]
    public int RetryDelaySeconds { get; set; } = 30;

    [Range(1, 100, ErrorMessage = "Mail:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How often the sender looks for due mail when nothing wakes it (another replica's requests, retries).</summary>
    [Range(1, 3600, ErrorMessage = "Mail:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 5;

    /// <summary>How long a replica holds a claimed mail before another may take it over.</summary>
    [Range(10, 3600, ErrorMessage = "Mail:LeaseSeconds must be between 10 and 3600.")]
    public int LeaseSeconds { get; set; } = 120;
}
