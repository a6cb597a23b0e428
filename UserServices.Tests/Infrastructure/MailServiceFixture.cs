namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A <see cref="ServiceFixture{TTestClass}"/> whose service sends mail to its own <see cref="SmtpTestServer"/>,
/// retrying after a second and looking for due mail every second, so an outage test takes seconds, not minutes.
/// </summary>
public class MailServiceFixture<TTestClass>(PostgresServer server) : ServiceFixture<TTestClass>(server)
{
    public const string From = "no-reply@example.com";
    public const string ResetUrl = "https://app.example.com/reset?token={token}";
    public const string ConfirmationUrl = "https://app.example.com/confirm?token={token}";

    public SmtpTestServer Smtp { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Smtp = SmtpTestServer.Start();
        await base.InitializeAsync();
    }

    /// <summary>The settings that point a service at <paramref name="smtp"/>.</summary>
    public static void UseSmtp(Dictionary<string, string?> settings, SmtpTestServer smtp)
    {
        settings["SMTP_URL"] = smtp.Url;
        settings["MAIL_FROM"] = $"\"User Services\" <{From}>";
        settings["Mail:PasswordResetUrl"] = ResetUrl;
        settings["Mail:EmailConfirmationUrl"] = ConfirmationUrl;
        settings["Mail:RetryDelaySeconds"] = "1";
        settings["Mail:PollSeconds"] = "1";
    }

    protected override void Configure(Dictionary<string, string?> settings) => UseSmtp(settings, Smtp);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
