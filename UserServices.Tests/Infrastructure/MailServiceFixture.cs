namespace UserServices.Tests.Infrastructure;

/// <summary>A <see cref="ServiceFixture{TTestClass}"/> whose service sends mail to its own <see cref="SmtpTestServer"/>.</summary>
public class MailServiceFixture<TTestClass>(PostgresServer server) : ServiceFixture<TTestClass>(server)
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Smtp = SmtpTestServer.Start();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings) => MailSettings.UseSmtp(settings, Smtp);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
