using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Users;

/// <summary>DELETE /user/user: the account and everything of it go, its tokens stop at once; a wrong password counts.</summary>
public sealed class AccountClosureTests(ServiceFixture<AccountClosureTests> fixture) : IClassFixture<ServiceFixture<AccountClosureTests>>
{
    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Closing_an_account_deletes_it_with_its_sessions_and_roles()
    {
        var tokens = await App.RegisterAndSignInAsync("leaver", Password);
        var other = await App.SignInAsync("leaver", Password);
        var id = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "leaver").Select(u => u.Id).SingleAsync());

        var response = await Close(App.BearerClient(tokens.AccessToken), Password);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await App.BearerClient(other.AccessToken).GetAsync("/user/user")).ShouldBeProblemAsync(
            HttpStatusCode.NotFound, detail: "The account this token was issued for no longer exists.");
        await (await App.RefreshAsync(other.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        (await App.PostTokenAsync(("username", "leaver"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == id))).ShouldBeFalse();
        (await App.WithDbAsync(db => db.RefreshTokens.AnyAsync(t => t.UserId == id))).ShouldBeFalse();
        (await App.WithDbAsync(db => db.UserRoles.AnyAsync(r => r.UserId == id))).ShouldBeFalse();
        // The name is free again.
        (await App.RegisterAsync("leaver", "leaver@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_wrong_password_is_400_counts_towards_lockout_and_deletes_nothing()
    {
        var client = await App.SignedInClientAsync("stayer", Password);

        var body = await (await Close(client, "not the password")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The account was not closed; see 'errors'.");

        body.GetProperty("errors").GetProperty("password")[0].GetString().ShouldBe("The password is incorrect.");
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "stayer").Select(u => u.AccessFailedCount).SingleAsync())).ShouldBe(1);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var missing = await (await Close(client, password: null)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").PropertyNames().ShouldBe(["password"]);
    }

    [Fact]
    public async Task Closing_needs_a_bearer_token()
    {
        await (await Close(App.CreateClient(), Password)).ShouldBeInvalidTokenAsync();
    }

    private static Task<HttpResponseMessage> Close(HttpClient client, string? password) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/user") { Content = JsonContent.Create(new { password }) });
}
