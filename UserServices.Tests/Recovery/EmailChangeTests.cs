using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Recovery;

/// <summary>PUT /user/email: a link to the new address, a notice to the old, and the change only once it is confirmed.</summary>
public sealed class EmailChangeTests(MailServiceFixture<EmailChangeTests> fixture) : IClassFixture<MailServiceFixture<EmailChangeTests>>
{
    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;
    private SmtpTestServer Smtp => fixture.Smtp;

    [Fact]
    public async Task The_address_changes_only_when_the_new_one_is_confirmed()
    {
        var bearer = await App.SignedInClientAsync("mover", Password);

        var response = await bearer.PutAsJsonAsync("/user/email", new { new_email = "mover-new@example.com", password = Password });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"A confirmation link is on its way to the new address; the address changes once it is confirmed."}""");
        var link = (await Smtp.WaitForAsync("mover-new@example.com")).ShouldHaveSingleItem();
        link.Subject.ShouldBe("Confirm your new email address");
        var notice = (await Smtp.WaitForAsync("mover@example.com", count: 2)).Single(m => m.Subject == "Your email address is about to change");
        notice.TextBody!.ShouldNotContain("token=");
        notice.HtmlBody.ShouldNotBeNullOrEmpty();
        // Until confirmed, the account and its token keep the old address.
        (await (await bearer.GetAsync("/user/user")).ReadJsonAsync()).Str("email").ShouldBe("mover@example.com");

        (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token = MailLinks.TokenIn(link) })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var user = await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "mover"));
        user.Email.ShouldBe("mover-new@example.com");
        user.NormalizedEmail.ShouldBe("MOVER-NEW@EXAMPLE.COM");
        user.EmailConfirmed.ShouldBeTrue();
        // A new address is a new security stamp: tokens issued for the old one end, as Identity's own email change does.
        await (await bearer.GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        var again = App.BearerClient(await App.TokenAsync("mover", Password));
        (await (await again.GetAsync("/user/user")).ReadJsonAsync()).Str("email").ShouldBe("mover-new@example.com");
    }

    [Fact]
    public async Task A_new_address_taken_meanwhile_is_409_at_confirmation()
    {
        var bearer = await App.SignedInClientAsync("slowpoke", Password);
        (await bearer.PutAsJsonAsync("/user/email", new { new_email = "contested@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var token = MailLinks.TokenIn((await Smtp.WaitForAsync("contested@example.com")).Single());
        (await App.RegisterAsync("quicker", "Contested@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token })).ShouldBeProblemAsync(
            HttpStatusCode.Conflict, detail: "That email is already registered.");

        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "slowpoke").Select(u => u.Email).SingleAsync())).ShouldBe("slowpoke@example.com");
    }

    [Fact]
    public async Task An_address_taken_already_is_409_and_sends_nothing()
    {
        (await App.RegisterAsync("holder", "held@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var bearer = await App.SignedInClientAsync("wanter", Password);
        var rows = await App.WithDbAsync(db => db.MailOutbox.CountAsync());

        await (await bearer.PutAsJsonAsync("/user/email", new { new_email = "HELD@example.com", password = Password }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: "That email is already registered.");

        (await App.WithDbAsync(db => db.MailOutbox.CountAsync())).ShouldBe(rows);
    }

    [Fact]
    public async Task A_password_change_ends_a_pending_change_of_address()
    {
        var bearer = await App.SignedInClientAsync("hijacked", Password);
        (await bearer.PutAsJsonAsync("/user/email", new { new_email = "thief@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var link = (await Smtp.WaitForAsync("thief@example.com")).ShouldHaveSingleItem();

        // The owner takes the account back before the link is used.
        (await bearer.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "the owner's new passphrase" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token = MailLinks.TokenIn(link) }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "hijacked").Select(u => u.Email).SingleAsync())).ShouldBe("hijacked@example.com");
    }

    [Fact]
    public async Task A_wrong_password_is_400_and_counts_towards_lockout()
    {
        var bearer = await App.SignedInClientAsync("guesser", Password);

        var body = await (await bearer.PutAsJsonAsync("/user/email", new { new_email = "elsewhere@example.com", password = "not the password" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        body.GetProperty("errors").GetProperty("password")[0].GetString().ShouldBe("The password is incorrect.");
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "guesser").Select(u => u.AccessFailedCount).SingleAsync())).ShouldBe(1);
        Smtp.To("elsewhere@example.com").ShouldBeEmpty();
    }

    [Fact]
    public async Task Missing_or_malformed_fields_and_the_current_address_are_refused_by_field()
    {
        var bearer = await App.SignedInClientAsync("fields", Password);

        var missing = await (await bearer.PutAsJsonAsync("/user/email", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").PropertyNames().Order().ShouldBe(["new_email", "password"]);
        var malformed = await (await bearer.PutAsJsonAsync("/user/email", new { new_email = "nope", password = Password })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        malformed.GetProperty("errors").GetProperty("new_email")[0].GetString().ShouldBe("The 'new_email' field is not an email address.");
        var same = await (await bearer.PutAsJsonAsync("/user/email", new { new_email = "Fields@example.com", password = Password })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        same.GetProperty("errors").GetProperty("new_email")[0].GetString().ShouldBe("The new address is the account's current one.");
    }
}
