using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Tokens;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Recovery;

/// <summary>Registration's confirmation mail, POST /user/email/confirm(/request), and Accounts:RequireConfirmedEmail.</summary>
public sealed class EmailConfirmationTests(EmailConfirmationTests.Fixture fixture) : IClassFixture<EmailConfirmationTests.Fixture>
{
    private const string Password = "correct horse battery";

    public sealed class Fixture(PostgresServer server) : MailServiceFixture<EmailConfirmationTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["Accounts:RequireConfirmedEmail"] = "true";
        }
    }

    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Registration_mails_a_confirmation_link_that_confirms_the_address()
    {
        (await App.RegisterAsync("confirmer", "confirmer@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var mail = (await fixture.Smtp.WaitForAsync("confirmer@example.com")).ShouldHaveSingleItem();
        mail.Subject.ShouldBe("Confirm your email address");
        mail.TextBody!.ShouldContain("confirmer@example.com");
        var token = MailLinks.TokenIn(mail);
        mail.HtmlBody!.ShouldContain($"href=\"https://app.example.com/confirm?token={token}\"");
        (await ConfirmedAsync("confirmer")).ShouldBeFalse();

        (await ConfirmAsync(token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await ConfirmedAsync("confirmer")).ShouldBeTrue();
        await (await ConfirmAsync(token)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
    }

    [Fact]
    public async Task With_RequireConfirmedEmail_only_a_correct_password_on_an_unconfirmed_account_is_403()
    {
        (await App.RegisterAsync("unproven", "unproven@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await (await App.PostTokenAsync(("username", "unproven"), ("password", Password))).ShouldBeProblemAsync(
            HttpStatusCode.Forbidden, error: "email_not_confirmed", detail: "The password is correct, but the account's email address is not confirmed yet.");
        // A wrong password learns nothing about confirmation.
        await (await App.PostTokenAsync(("username", "unproven"), ("password", "not the password"))).ShouldBeProblemAsync(
            HttpStatusCode.Unauthorized, error: "invalid_grant", detail: "Incorrect username or password");

        var token = MailLinks.TokenIn((await fixture.Smtp.WaitForAsync("unproven@example.com")).Single());
        (await ConfirmAsync(token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await App.PostTokenAsync(("username", "unproven"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_new_confirmation_request_mails_a_new_link_and_ends_the_old_one()
    {
        (await App.RegisterAsync("again", "again@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var first = MailLinks.TokenIn((await fixture.Smtp.WaitForAsync("again@example.com")).Single());
        // Signing in needs a confirmed address here; the bearer comes from the store's own issuer instead.
        var bearer = App.BearerClient(await SignInDespiteConfirmationAsync("again"));

        var response = await bearer.PostAsync("/user/email/confirm/request", content: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"detail":"A confirmation link is on its way to the account's email address."}""");
        var second = MailLinks.TokenIn((await fixture.Smtp.WaitForAsync("again@example.com", count: 2))[1]);
        second.ShouldNotBe(first);
        await (await ConfirmAsync(first)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await ConfirmAsync(second)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await bearer.PostAsync("/user/email/confirm/request", content: null)).ShouldBeProblemAsync(
            HttpStatusCode.Conflict, detail: "The account's email address is already confirmed.");
    }

    [Fact]
    public async Task Confirm_without_a_token_names_the_field()
    {
        var body = await (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        body.GetProperty("errors").PropertyNames().ShouldBe(["token"]);
    }

    private async Task<string> SignInDespiteConfirmationAsync(string username)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = (await users.FindByNameAsync(username))!;
        // A real session: an access token must name a live one.
        var audit = scope.ServiceProvider.GetRequiredService<UserServices.Api.Audit.AuditLog>();
        var session = await scope.ServiceProvider.GetRequiredService<UserServices.Api.Sessions.RefreshTokenStore>().IssueAsync(
            user, "default", null, audit.Event(UserServices.Api.Audit.AuditActions.LoginSucceeded, user), UserServices.Api.Hosting.RequestOrigin.None, CancellationToken.None);
        return scope.ServiceProvider.GetRequiredService<TokenIssuer>()
            .Issue(user, await users.GetRolesAsync(user), session.FamilyId, "default", DateTime.UtcNow, scope: null).AccessToken;
    }

    private Task<bool> ConfirmedAsync(string username) =>
        App.WithDbAsync(db => db.Users.Where(u => u.UserName == username).Select(u => u.EmailConfirmed).SingleAsync());

    private Task<HttpResponseMessage> ConfirmAsync(string token) => App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token });
}
