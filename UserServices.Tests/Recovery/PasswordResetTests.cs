using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Mail;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Recovery;

/// <summary>POST /user/password/forgot and /reset against a real SMTP server: the mail, the link's token and its rules.</summary>
public sealed class PasswordResetTests(MailServiceFixture<PasswordResetTests> fixture) : IClassFixture<MailServiceFixture<PasswordResetTests>>
{
    private const string Password = "correct horse battery";
    private const string NewPassword = "a brand new passphrase";
    private UserServicesApp App => fixture.App;
    private SmtpTestServer Smtp => fixture.Smtp;

    [Fact]
    public async Task Forgot_mails_a_reset_link_whose_token_sets_a_new_password()
    {
        (await App.RegisterAsync("forgetful", "forgetful@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var response = await ForgotAsync("Forgetful@Example.com");

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"If an account has this email address, a password reset link is on its way to it."}""");
        var mail = await WaitForResetAsync("forgetful@example.com");
        Smtp.To("forgetful@example.com").Count(m => m.Subject == "Reset your password").ShouldBe(1);
        mail.From.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(MailSettings.From);
        mail.From.Mailboxes.Single().Name.ShouldBe("User Services");
        mail.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe("forgetful@example.com");
        mail.Subject.ShouldBe("Reset your password");
        mail.Date.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        mail.MessageId.ShouldEndWith("@example.com");
        mail.Headers[MimeKit.HeaderId.MessageId].ShouldNotBeNullOrEmpty();
        var token = MailLinks.TokenIn(mail);
        token.Length.ShouldBe(43); // 256 bits, base64url
        mail.TextBody!.ShouldContain("forgetful");
        mail.TextBody!.ShouldContain("expires in 30 minutes");
        mail.HtmlBody!.ShouldContain($"href=\"https://app.example.com/reset?token={token}\"");

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await App.PostTokenAsync(("username", "forgetful"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.PostTokenAsync(("username", "forgetful"), ("password", NewPassword))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_reset_token_works_once()
    {
        var token = await ResetTokenForAsync("once");

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await ResetAsync(token, "another new passphrase")).ShouldBeProblemAsync(
            HttpStatusCode.BadRequest, error: "invalid_token", detail: "The token is unknown, already used, replaced by a newer one or expired.");
        (await App.PostTokenAsync(("username", "once"), ("password", NewPassword))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_newer_reset_token_ends_the_older_one()
    {
        var older = await ResetTokenForAsync("twice");
        (await ForgotAsync("twice@example.com")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var newer = MailLinks.TokenIn(await WaitForResetAsync("twice@example.com", count: 2));

        await (await ResetAsync(older, NewPassword)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await ResetAsync(newer, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_reset_ends_every_session_and_clears_a_lockout()
    {
        var phone = await App.RegisterAndSignInAsync("stolen", Password);
        var laptop = await App.SignInAsync("stolen", Password);
        for (var i = 0; i < 5; i++)
        {
            await App.PostTokenAsync(("username", "stolen"), ("password", "a wrong guess"));
        }

        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "stolen").Select(u => u.LockoutEnd).SingleAsync())).ShouldNotBeNull();
        var token = await ResetTokenForAsync("stolen", register: false);

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.BearerClient(phone.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        await (await App.BearerClient(laptop.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        await (await App.RefreshAsync(phone.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        await (await App.RefreshAsync(laptop.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        var after = await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "stolen"));
        after.LockoutEnd.ShouldBeNull();
        after.AccessFailedCount.ShouldBe(0);
        (await App.PostTokenAsync(("username", "stolen"), ("password", NewPassword))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_reset_does_not_lift_an_admins_lock()
    {
        (await App.RegisterAsync("banned", "banned@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var indefinitely = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);
        await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "banned")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, indefinitely)));
        var token = await ResetTokenForAsync("banned", register: false);

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "banned").Select(u => u.LockoutEnd).SingleAsync())).ShouldBe(indefinitely);
        (await App.PostTokenAsync(("username", "banned"), ("password", NewPassword))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_change_ends_a_pending_reset_token()
    {
        var token = await ResetTokenForAsync("changer");
        var bearer = await App.TokenAsync("changer", Password);
        (await App.BearerClient(bearer).PutAsJsonAsync("/user/password", new { current_password = Password, new_password = NewPassword }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await ResetAsync(token, "yet another passphrase")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await App.PostTokenAsync(("username", "changer"), ("password", NewPassword))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_by_field_and_the_token_stays_usable()
    {
        var token = await ResetTokenForAsync("picky");

        var weak = await ResetAsync(token, "password1");
        var body = await weak.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The password reset has invalid fields; see 'errors'.");
        body.GetProperty("errors").PropertyNames().ShouldBe(["new_password"]);
        var control = await ResetAsync(token, "a brand\0new passphrase");
        (await control.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").PropertyNames().ShouldBe(["new_password"]);
        var missing = await (await App.CreateClient().PostAsJsonAsync("/user/password/reset", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").PropertyNames().Order().ShouldBe(["new_password", "token"]);

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Only_the_sha256_of_a_token_is_stored_and_the_outbox_holds_no_token()
    {
        var token = await ResetTokenForAsync("hashed");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

        var rows = await App.WithDbAsync(db => db.AccountTokens.Where(t => t.User!.UserName == "hashed").ToListAsync());
        rows.Single(t => t.TokenHash == hash).Purpose.ShouldBe("password_reset");
        rows.ShouldAllBe(t => t.TokenHash != token);
        (await App.WithDbAsync(db => db.MailOutbox.AnyAsync(m => m.Recipient.Contains(token) || (m.LastError != null && m.LastError.Contains(token))))).ShouldBeFalse();
    }

    [Fact]
    public async Task An_unknown_or_malformed_token_is_invalid_token()
    {
        await (await ResetAsync("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NewPassword)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        await (await ResetAsync(new string('x', 5000), NewPassword)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
    }

    [Fact]
    public async Task A_confirmation_token_cannot_reset_a_password_nor_a_reset_token_confirm_an_email()
    {
        (await App.RegisterAsync("bound", "bound@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var confirmation = (await Smtp.WaitForAsync("bound@example.com")).ShouldHaveSingleItem();
        confirmation.Subject.ShouldBe("Confirm your email address");
        var confirmationToken = MailLinks.TokenIn(confirmation);
        (await ForgotAsync("bound@example.com")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var resetToken = MailLinks.TokenIn((await Smtp.WaitForAsync("bound@example.com", count: 2)).Single(m => m.Subject == "Reset your password"));

        await (await ResetAsync(confirmationToken, NewPassword)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        await (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token = resetToken }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");

        // Each still works for its own purpose.
        (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token = confirmationToken })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ResetAsync(resetToken, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Forgot_answers_alike_for_an_unknown_address_does_the_same_database_work_and_mails_nobody()
    {
        (await App.RegisterAsync("known", "known@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Smtp.WaitForAsync("known@example.com"); // the registration's confirmation

        var known = await ForgotAndCountRowsAsync("known@example.com");
        var unknown = await ForgotAndCountRowsAsync("nobody-here@example.com");

        unknown.Status.ShouldBe(known.Status);
        unknown.Body.ShouldBe(known.Body);
        known.RowsAdded.ShouldBe(1);
        unknown.RowsAdded.ShouldBe(1);
        await WaitUntilDoneAsync("nobody-here@example.com", "skipped");
        await WaitUntilDoneAsync("known@example.com", "sent", kind: MailKind.PasswordReset);
        Smtp.To("nobody-here@example.com").ShouldBeEmpty();
        Smtp.To("known@example.com").Count(m => m.Subject == "Reset your password").ShouldBe(1);
    }

    [Fact]
    public async Task Forgot_refuses_a_missing_or_malformed_address()
    {
        var body = await (await ForgotAsync("not an address")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        body.GetProperty("errors").GetProperty("email")[0].GetString().ShouldBe("The 'email' field is not an email address.");
        var missing = await (await App.CreateClient().PostAsJsonAsync("/user/password/forgot", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").GetProperty("email")[0].GetString().ShouldBe("The 'email' field is required.");
    }

    private async Task<(HttpStatusCode Status, string Body, int RowsAdded)> ForgotAndCountRowsAsync(string email)
    {
        var before = await App.WithDbAsync(db => db.MailOutbox.CountAsync());
        var response = await ForgotAsync(email);
        var after = await App.WithDbAsync(db => db.MailOutbox.CountAsync());
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), after - before);
    }

    private async Task WaitUntilDoneAsync(string recipient, string outcome, string kind = MailKind.PasswordReset) =>
        await Eventually.ValueAsync(
            () => App.WithDbAsync(db => db.MailOutbox.Where(m => m.Recipient == recipient && m.Kind == kind).Select(m => m.Outcome).ToListAsync()),
            outcomes => outcomes.Count > 0 && outcomes.All(o => o == outcome),
            outcomes => $"{recipient}: {string.Join(", ", outcomes)}");

    /// <summary>Registers <paramref name="username"/> (unless told not to), asks for a reset and returns the mailed token.</summary>
    private async Task<string> ResetTokenForAsync(string username, bool register = true)
    {
        var email = $"{username}@example.com";
        if (register)
        {
            (await App.RegisterAsync(username, email, Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        return await ResetMail.RequestTokenAsync(App.CreateClient(), Smtp, email);
    }

    /// <summary>The last of <paramref name="count"/> reset mails to <paramref name="email"/>.</summary>
    private async Task<MimeKit.MimeMessage> WaitForResetAsync(string email, int count = 1) =>
        (await Smtp.WaitForSubjectAsync(email, "Reset your password", count))[^1];

    private Task<HttpResponseMessage> ForgotAsync(string email) => App.CreateClient().PostAsJsonAsync("/user/password/forgot", new { email });

    private Task<HttpResponseMessage> ResetAsync(string token, string newPassword) =>
        App.CreateClient().PostAsJsonAsync("/user/password/reset", new { token, new_password = newPassword });
}
