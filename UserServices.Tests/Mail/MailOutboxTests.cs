using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mail;

/// <summary>
/// The outbox: mail waits in the database while the SMTP server is down or the service is stopped, and goes out
/// exactly once when both are back; the request that queued it never waits for SMTP.
/// </summary>
public sealed class MailOutboxTests(PostgresServer server)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_mail_queued_during_an_smtp_outage_is_delivered_once_when_the_server_is_back()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await StartAsync(smtp);
        (await app.RegisterAsync("patient", "patient@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await smtp.WaitForAsync("patient@example.com");
        await smtp.StopAsync();

        var started = DateTime.UtcNow;
        var forgot = await app.CreateClient().PostAsJsonAsync("/user/password/forgot", new { email = "patient@example.com" });
        forgot.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(5), "the request does not wait for SMTP");

        // At least two failed attempts while the server is down: the retry really retries.
        await WaitForAsync(app, db => db.MailOutbox.AnyAsync(m => m.Kind == "password-reset" && m.Attempts >= 2 && m.DoneAt == null));
        (await app.WithDbAsync(db => db.MailOutbox.Where(m => m.Kind == "password-reset").Select(m => m.LastError).SingleAsync())).ShouldNotBeNullOrEmpty();
        smtp.Resume();

        var mail = (await smtp.WaitForAsync("patient@example.com", count: 2))[^1];
        mail.Subject.ShouldBe("Reset your password");
        await WaitForAsync(app, db => db.MailOutbox.AnyAsync(m => m.Kind == "password-reset" && m.Outcome == "sent"));
        // Several more polls of the sender: nothing goes out a second time.
        await Task.Delay(TimeSpan.FromSeconds(3));
        smtp.To("patient@example.com").Count(m => m.Subject == "Reset your password").ShouldBe(1);
        (await app.CreateClient().PostAsJsonAsync("/user/password/reset", new { token = MailLinks.TokenIn(mail), new_password = "a brand new passphrase" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_mail_queued_before_a_restart_is_sent_by_the_restarted_service_once()
    {
        await using var smtp = SmtpTestServer.Start();
        var databaseUrl = await server.CreateDatabaseAsync("MailOutboxRestart");
        await using (var first = await StartAsync(smtp, databaseUrl))
        {
            (await first.RegisterAsync("restarted", "restarted@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
            await smtp.WaitForAsync("restarted@example.com");
            await smtp.StopAsync();
            (await first.CreateClient().PostAsJsonAsync("/user/password/forgot", new { email = "restarted@example.com" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await WaitForAsync(first, db => db.MailOutbox.AnyAsync(m => m.Kind == "password-reset" && m.Attempts >= 1));
        }

        smtp.Resume();
        smtp.To("restarted@example.com").Count.ShouldBe(1);
        await using var second = await StartAsync(smtp, databaseUrl);

        var mail = (await smtp.WaitForAsync("restarted@example.com", count: 2))[^1];
        mail.Subject.ShouldBe("Reset your password");
        await WaitForAsync(second, db => db.MailOutbox.AnyAsync(m => m.Kind == "password-reset" && m.Outcome == "sent"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        smtp.To("restarted@example.com").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Two_replicas_on_one_outbox_send_each_mail_once()
    {
        await using var smtp = SmtpTestServer.Start();
        var databaseUrl = await server.CreateDatabaseAsync("MailOutboxReplicas");
        await using var one = await StartAsync(smtp, databaseUrl);
        await using var two = await StartAsync(smtp, databaseUrl);
        for (var i = 0; i < 10; i++)
        {
            (await (i % 2 == 0 ? one : two).RegisterAsync($"replicated{i}", $"replicated{i}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        await WaitForAsync(one, db => db.MailOutbox.AllAsync(m => m.Outcome == "sent"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 10; i++)
        {
            smtp.To($"replicated{i}@example.com").Count.ShouldBe(1);
        }
    }

    private async Task<UserServicesApp> StartAsync(SmtpTestServer smtp, string? databaseUrl = null)
    {
        var settings = UserServicesApp.Defaults(databaseUrl ?? await server.CreateDatabaseAsync("MailOutboxOutage"));
        MailSettings.UseSmtp(settings, smtp);
        return UserServicesApp.Start(settings);
    }

    private static Task WaitForAsync(UserServicesApp app, Func<UserServices.Data.UserServicesDbContext, Task<bool>> condition) =>
        Eventually.TrueAsync(() => app.WithDbAsync(condition), "the outbox did not reach the expected state");
}
