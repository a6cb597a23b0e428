using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Mail;
using UserServices.Data.Audit;
using UserServices.Tests.Infrastructure;
using UserServices.Tests.Tokens;

namespace UserServices.Tests.Audit;

/// <summary>
/// What the audit log records for account recovery by email, email changes, closing one's own account and the
/// unconfirmed-email refusal: each event after its action with the right user, actor and address, none after a failure.
/// </summary>
public sealed class RecoveryAuditTests(RecoveryAuditTests.Fixture fixture) : IClassFixture<RecoveryAuditTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : MailServiceFixture<RecoveryAuditTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["Accounts:RequireConfirmedEmail"] = "true";
            settings["Lockout:MaxFailedAttempts"] = "3";
        }
    }

    private const string Password = "correct horse battery";
    private const string NewPassword = "a brand new passphrase";
    private const string Peer = "198.51.100.41";
    private const string Agent = "recovery-client/1.0";

    private UserServicesApp App => fixture.App;
    private SmtpTestServer Smtp => fixture.Smtp;

    [Fact]
    public async Task Forgot_records_a_reset_request_by_the_sender_for_a_known_address_and_nothing_for_an_unknown_one()
    {
        var id = await RegisterAsync("forgetful");
        var before = await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "password.reset_requested"));

        (await Anonymous().PostAsJsonAsync("/user/password/forgot", new { email = "nobody-here@example.com" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await Anonymous().PostAsJsonAsync("/user/password/forgot", new { email = "Forgetful@example.com" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var token = MailLinks.TokenIn(await WaitForResetAsync("forgetful@example.com"));
        await WaitUntilDoneAsync("nobody-here@example.com");
        var requested = (await EventsAsync(id, "password.reset_requested")).ShouldHaveSingleItem();
        requested.UserName.ShouldBe("forgetful");
        requested.Actor.ShouldBe("system");
        requested.ActorId.ShouldBeNull();
        // The sender has no request: the address and agent are those of the request that asked, kept by the outbox.
        requested.Ip.ShouldBe(Peer);
        requested.UserAgent.ShouldBe(Agent);
        requested.Detail!.ShouldStartWith("reset link issued (mail ");
        // One event in all: the known address's; the unknown one left none, under any user or none.
        (await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "password.reset_requested"))).ShouldBe(before + 1);
        (await AllEventTextAsync()).ShouldNotContain(text => text.Contains("nobody-here", StringComparison.OrdinalIgnoreCase) || text.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_completed_reset_is_recorded_from_the_caller_address_and_a_refused_one_is_not()
    {
        var id = await RegisterAsync("resetter");
        var token = await ResetTokenForAsync("resetter");

        await (await ResetAsync("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NewPassword)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await ResetAsync(token, "password1")).StatusCode.ShouldBe(HttpStatusCode.BadRequest); // the policy refuses it
        (await EventsAsync(id, "password.reset")).ShouldBeEmpty();

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await ResetAsync(token, "another new passphrase")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");

        var reset = (await EventsAsync(id, "password.reset")).ShouldHaveSingleItem();
        reset.Ip.ShouldBe(Peer);
        reset.UserAgent.ShouldBe(Agent);
        reset.Actor.ShouldBeNull(); // an anonymous caller holding the mailed link
        reset.ActorId.ShouldBeNull();
        reset.Detail.ShouldBe("by mailed link; sessions ended"); // and "lockout cleared" only when there was one
        (await AllEventTextAsync()).ShouldNotContain(text => text.Contains(token, StringComparison.Ordinal) || text.Contains(NewPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Confirmation_request_and_confirmation_are_recorded_and_a_bad_token_records_nothing()
    {
        var id = await RegisterAsync("confirmer");
        var registrationMail = (await Smtp.WaitForAsync("confirmer@example.com")).ShouldHaveSingleItem();
        var bearer = await UnconfirmedBearerAsync("confirmer");

        (await bearer.PostAsync("/user/email/confirm/request", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var requested = (await EventsAsync(id, "email.confirmation_requested")).ShouldHaveSingleItem();
        requested.ActorId.ShouldBe(id);
        requested.Actor.ShouldBe("confirmer");
        requested.Ip.ShouldBe(Peer);
        requested.Detail.ShouldBe("to confirmer@example.com");
        var token = MailLinks.TokenIn((await Smtp.WaitForAsync("confirmer@example.com", count: 2))[^1]);

        // The registration's link was replaced by the newer one.
        await (await Anonymous().PostAsJsonAsync("/user/email/confirm", new { token = MailLinks.TokenIn(registrationMail) }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await EventsAsync(id, "email.confirmed")).ShouldBeEmpty();

        (await Anonymous().PostAsJsonAsync("/user/email/confirm", new { token })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var confirmed = (await EventsAsync(id, "email.confirmed")).ShouldHaveSingleItem();
        confirmed.Ip.ShouldBe(Peer);
        confirmed.ActorId.ShouldBeNull();
        confirmed.Detail.ShouldBe("confirmer@example.com");
        (await AllEventTextAsync()).ShouldNotContain(text => text.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_email_change_records_the_request_and_the_change_and_a_wrong_password_records_the_failed_check()
    {
        var id = await RegisterAsync("mover");
        var bearer = await BearerAsync("mover");

        await (await bearer.PutAsJsonAsync("/user/email", new { new_email = "mover-new@example.com", password = "not the password" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var failed = (await EventsAsync(id, "password.check_failed")).ShouldHaveSingleItem();
        failed.Detail.ShouldBe("wrong password for changing the email");
        failed.Ip.ShouldBe(Peer);
        failed.ActorId.ShouldBe(id);
        (await EventsAsync(id, "email.change_requested")).ShouldBeEmpty();

        (await bearer.PutAsJsonAsync("/user/email", new { new_email = "mover-new@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var requested = (await EventsAsync(id, "email.change_requested")).ShouldHaveSingleItem();
        requested.ActorId.ShouldBe(id);
        requested.Actor.ShouldBe("mover");
        requested.Ip.ShouldBe(Peer);
        requested.UserAgent.ShouldBe(Agent);
        requested.Detail.ShouldBe("mover@example.com -> mover-new@example.com");
        (await EventsAsync(id, "email.changed")).ShouldBeEmpty(); // not until the new address is confirmed

        var token = MailLinks.TokenIn((await Smtp.WaitForAsync("mover-new@example.com")).ShouldHaveSingleItem());
        (await Anonymous().PostAsJsonAsync("/user/email/confirm", new { token })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var changed = (await EventsAsync(id, "email.changed")).ShouldHaveSingleItem();
        changed.Detail.ShouldBe("mover@example.com -> mover-new@example.com");
        changed.Ip.ShouldBe(Peer);
        (await EventsAsync(id, "email.confirmed")).ShouldBeEmpty();
        (await AllEventTextAsync()).ShouldNotContain(text => text.Contains(token, StringComparison.Ordinal) || text.Contains("not the password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_email_change_whose_address_was_taken_meanwhile_records_no_change()
    {
        var id = await RegisterAsync("slowpoke");
        var bearer = await BearerAsync("slowpoke");
        (await bearer.PutAsJsonAsync("/user/email", new { new_email = "contested@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var token = MailLinks.TokenIn((await Smtp.WaitForAsync("contested@example.com")).Single());
        await RegisterAsync("quicker", "contested@example.com");

        await (await Anonymous().PostAsJsonAsync("/user/email/confirm", new { token })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        (await EventsAsync(id, "email.changed")).ShouldBeEmpty();
        (await EventsAsync(id, "email.change_requested")).ShouldHaveSingleItem().Detail.ShouldBe("slowpoke@example.com -> contested@example.com");
    }

    [Fact]
    public async Task Closing_ones_own_account_records_the_user_as_actor_and_wrong_passwords_up_to_the_lock()
    {
        var id = await RegisterAsync("leaver");
        var bearer = await BearerAsync("leaver");

        for (var i = 0; i < 3; i++)
        {
            (await bearer.SendAsync(CloseRequest($"wrong guess {i}"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var failures = await EventsAsync(id, "password.check_failed");
        failures.Count.ShouldBe(3);
        failures.ShouldAllBe(e => e.Detail == "wrong password for closing the account" && e.Ip == Peer && e.ActorId == id);
        (await EventsAsync(id, "account.locked")).ShouldHaveSingleItem().Detail!.ShouldStartWith("by the lockout policy until ");
        (await EventsAsync(id, "user.deleted")).ShouldBeEmpty();
        // The lock ends the bearer's access too; once it has passed, the user may close the account.
        await App.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, (DateTimeOffset?)null)));

        (await bearer.SendAsync(CloseRequest(Password))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var deleted = (await EventsAsync(id, "user.deleted")).ShouldHaveSingleItem();
        deleted.ActorId.ShouldBe(id);
        deleted.Actor.ShouldBe("leaver");
        deleted.UserName.ShouldBe("leaver");
        deleted.Ip.ShouldBe(Peer);
        deleted.Detail.ShouldBe("closed by the user; email was leaver@example.com");
        (await AllEventTextAsync()).ShouldNotContain(text => text.Contains("wrong guess", StringComparison.Ordinal) || text.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_correct_password_on_an_unconfirmed_account_records_the_refusal_and_a_wrong_one_only_the_failure()
    {
        var id = await RegisterAsync("unproven");
        var client = Anonymous();

        (await client.PostAsync("/user/token", OAuthRequests.Form(("username", "unproven"), ("password", "not the password")))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await EventsAsync(id, "login.refused_unconfirmed")).ShouldBeEmpty();

        await (await client.PostAsync("/user/token", OAuthRequests.Form(("username", "unproven"), ("password", Password)))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, error: "email_not_confirmed");

        var refused = (await EventsAsync(id, "login.refused_unconfirmed")).ShouldHaveSingleItem();
        refused.Ip.ShouldBe(Peer);
        refused.UserAgent.ShouldBe(Agent);
        refused.ActorId.ShouldBeNull();
        refused.Detail.ShouldBe("email not confirmed");
        (await EventsAsync(id, "login.succeeded")).ShouldBeEmpty();
    }

    private HttpClient Anonymous()
    {
        var client = App.ClientFrom(Peer);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Agent);
        return client;
    }

    private async Task<int> RegisterAsync(string userName, string? email = null)
    {
        (await App.RegisterAsync(userName, email ?? $"{userName}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        return await App.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());
    }

    /// <summary>A bearer client of a confirmed account (RequireConfirmedEmail is on), from <see cref="Peer"/>.</summary>
    private async Task<HttpClient> BearerAsync(string userName)
    {
        await SetConfirmedAsync(userName, confirmed: true);
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await App.TokenAsync(userName, Password));
        return client;
    }

    /// <summary>Signs in while confirmed, then takes the confirmation back; the token (same security stamp) keeps working.</summary>
    private async Task<HttpClient> UnconfirmedBearerAsync(string userName)
    {
        var client = await BearerAsync(userName);
        await SetConfirmedAsync(userName, confirmed: false);
        return client;
    }

    private Task<int> SetConfirmedAsync(string userName, bool confirmed) =>
        App.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, confirmed)));

    private Task<List<AuditEvent>> EventsAsync(int userId, string action) => App.WithDbAsync(db =>
        db.AuditEvents.Where(e => e.UserId == userId && e.Action == action).OrderBy(e => e.Id).ToListAsync());

    private Task<List<string>> AllEventTextAsync() =>
        App.WithDbAsync(db => db.AuditEvents.Select(e => e.Action + " " + e.UserName + " " + e.Actor + " " + e.UserAgent + " " + e.Detail).ToListAsync());

    private static HttpRequestMessage CloseRequest(string password) =>
        new(HttpMethod.Delete, "/user/user") { Content = JsonContent.Create(new { password }) };

    private Task<string> ResetTokenForAsync(string userName) => ResetMail.RequestTokenAsync(Anonymous(), Smtp, $"{userName}@example.com");

    private Task<HttpResponseMessage> ResetAsync(string token, string newPassword) =>
        Anonymous().PostAsJsonAsync("/user/password/reset", new { token, new_password = newPassword });

    private async Task<MimeKit.MimeMessage> WaitForResetAsync(string email) =>
        (await Smtp.WaitForSubjectAsync(email, "Reset your password"))[^1];

    private Task WaitUntilDoneAsync(string recipient) =>
        Eventually.TrueAsync(
            () => App.WithDbAsync(db => db.MailOutbox.AnyAsync(m => m.Recipient == recipient && m.Kind == MailKind.PasswordReset && m.Outcome == "skipped")),
            $"the mail to {recipient} was not skipped");
}
