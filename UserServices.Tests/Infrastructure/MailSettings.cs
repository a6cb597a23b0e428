namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The settings that point a service at a test SMTP server, retrying after a second and looking for due mail every
/// second, so an outage test takes seconds, not minutes.
/// </summary>
public static class MailSettings
{
    public const string From = "no-reply@example.com";
    public const string ResetUrl = "https://app.example.com/reset?token={token}";
    public const string ConfirmationUrl = "https://app.example.com/confirm?token={token}";

    public static void UseSmtp(Dictionary<string, string?> settings, SmtpTestServer smtp)
    {
        settings["SMTP_URL"] = smtp.Url;
        settings["MAIL_FROM"] = $"\"User Services\" <{From}>";
        settings["Mail:PasswordResetUrl"] = ResetUrl;
        settings["Mail:EmailConfirmationUrl"] = ConfirmationUrl;
        settings["Mail:RetryDelaySeconds"] = "1";
        settings["Mail:PollSeconds"] = "1";
    }
}
