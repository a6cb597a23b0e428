using System.Net;
using System.Net.Http.Json;
using MailKit.Security;
using Microsoft.Extensions.Hosting.Internal;
using MimeKit;
using UserServices.Api.Mail;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mail;

/// <summary>Without SMTP_URL: Development writes .eml files to a folder it names; anywhere else mail is off and says so.</summary>
public sealed class MailConfigurationTests(PostgresServer server)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Development_without_smtp_writes_eml_files_to_the_logged_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "userservices-mail-test-" + Guid.NewGuid().ToString("N"));
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync("MailDevelopmentFolder"));
        settings["Mail:PickupDirectory"] = folder;
        settings["Mail:PollSeconds"] = "1";
        try
        {
            await using var app = UserServicesApp.Start(settings, environment: "Development");
            app.Logs.ShouldContain(line => line.Contains($"mail is written as .eml files to {folder}", StringComparison.Ordinal));

            (await app.RegisterAsync("newcomer", "newcomer@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await app.CreateClient().PostAsJsonAsync("/user/password/forgot", new { email = "newcomer@example.com" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

            var files = await WaitForFilesAsync(folder, 2);
            var mails = files.Select(f => MimeMessage.Load(f)).ToList();
            mails.Select(m => m.Subject).Order().ShouldBe(["Confirm your email address", "Reset your password"]);
            mails.ShouldAllBe(m => m.To.Mailboxes.Single().Address == "newcomer@example.com");
            var reset = mails.Single(m => m.Subject == "Reset your password");
            // Development's stand-in page for a client application that does not exist yet.
            reset.TextBody!.ShouldContain("http://localhost:3000/reset-password?token=");
            var token = reset.TextBody!.Split("token=")[1].Split(['\r', '\n'])[0];
            (await app.CreateClient().PostAsJsonAsync("/user/password/reset", new { token, new_password = "a brand new passphrase" }))
                .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Without_smtp_outside_development_the_mail_endpoints_answer_503_and_registration_works(string environment)
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync("MailNotConfigured"));
        await using var app = UserServicesApp.Start(settings, environment);

        (await app.RegisterAsync("mailless", "mailless@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var bearer = app.BearerClient(await app.TokenAsync("mailless", Password));

        const string detail = "Mail is not configured on this service (SMTP_URL is unset), so it cannot send this mail.";
        await (await app.CreateClient().PostAsJsonAsync("/user/password/forgot", new { email = "mailless@example.com" }))
            .ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, title: "Service Unavailable", detail: detail);
        await (await bearer.PostAsync("/user/email/confirm/request", content: null)).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, detail: detail);
        await (await bearer.PutAsJsonAsync("/user/email", new { new_email = "other@example.com", password = Password }))
            .ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, detail: detail);
        (await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.MailOutbox))).ShouldBe(0);
    }

    [Theory]
    [InlineData("SmtpUrl", "http://mail.example.com", "SMTP_URL must look like smtp://[user:password@]host[:port] or smtps://…")]
    [InlineData("SmtpUrl", "smtp://mail.example.com?tls=yes", "SMTP_URL accepts only the query '?starttls=required'.")]
    [InlineData("SmtpUrl", "smtps://mail.example.com?starttls=required", "SMTP_URL: smtps:// is TLS from the start; '?starttls=required' belongs to smtp://.")]
    [InlineData("From", "not an address", "MAIL_FROM (Mail:From) must be an address, e.g. \"User Services\" <no-reply@example.com>.")]
    [InlineData("PasswordResetUrl", "https://app.example.com/reset", "Mail:PasswordResetUrl must be an absolute http(s) URL containing {token}, e.g. https://app.example.com/reset?token={token}.")]
    [InlineData("EmailConfirmationUrl", "/confirm?token={token}", "Mail:EmailConfirmationUrl must be an absolute http(s) URL containing {token}, e.g. https://app.example.com/reset?token={token}.")]
    public void A_bad_mail_setting_is_named(string property, string value, string message)
    {
        var options = new MailOptions
        {
            SmtpUrl = "smtp://127.0.0.1:2525",
            PasswordResetUrl = MailSettings.ResetUrl,
            EmailConfirmationUrl = MailSettings.ConfirmationUrl,
        };
        typeof(MailOptions).GetProperty(property)!.SetValue(options, value);

        var result = new MailOptionsValidator(new HostingEnvironment { EnvironmentName = "Production" }).Validate(null, options);

        result.Failures.ShouldBe([message]);
    }

    [Theory]
    [InlineData("smtp://relay.example.com", "relay.example.com", 587, SecureSocketOptions.StartTlsWhenAvailable, null, null)]
    [InlineData("smtp://relay.example.com:2525?starttls=required", "relay.example.com", 2525, SecureSocketOptions.StartTls, null, null)]
    [InlineData("smtps://us%40er:p%3Ass@relay.example.com", "relay.example.com", 465, SecureSocketOptions.SslOnConnect, "us@er", "p:ss")]
    public void Smtp_url_forms(string url, string host, int port, SecureSocketOptions security, string? user, string? password)
    {
        SmtpAddress.TryParse(url, out var address, out var problem).ShouldBeTrue(problem);
        address.ShouldBe(new SmtpAddress(host, port, security, user, password));
        address!.ToString().ShouldNotContain("p:ss");
    }

    [Fact]
    public async Task Smtp_without_link_settings_outside_development_does_not_start_and_keeps_the_password_out_of_the_output()
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync("MailNoLinks"),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["SMTP_URL"] = "smtps://mailer:hunter2-secret@mail.example.com",
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("Configuration error: Mail:PasswordResetUrl is required when SMTP_URL is set: the page of the client application the mail links to, with {token}.", result.ToString());
        lines.ShouldContain("Configuration error: Mail:EmailConfirmationUrl is required when SMTP_URL is set: the page of the client application the mail links to, with {token}.", result.ToString());
        result.ToString().ShouldNotContain("hunter2");
    }

    private static Task<string[]> WaitForFilesAsync(string folder, int count) =>
        Eventually.ValueAsync(
            () => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : []),
            files => files.Length >= count,
            files => $"{files.Length} .eml files in {folder}");
}
