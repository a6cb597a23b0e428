using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Users;

/// <summary>PUT /user/password: what it asks for, and that a change ends every sign-in made with the old password.</summary>
public sealed class PasswordChangeTests(ServiceFixture<PasswordChangeTests> fixture) : IClassFixture<ServiceFixture<PasswordChangeTests>>
{
    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Password_change_ends_every_access_and_refresh_token()
    {
        var phone = await App.RegisterAndSignInAsync("mover", Password);
        var laptop = await App.SignInAsync("mover", Password);

        var change = await App.BearerClient(phone.AccessToken).PutAsJsonAsync("/user/password",
            new { current_password = Password, new_password = "a brand new passphrase" });

        change.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await App.BearerClient(phone.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.BearerClient(laptop.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await (await App.RefreshAsync(phone.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        await (await App.RefreshAsync(laptop.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        (await App.PostTokenAsync(("username", "mover"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.PostTokenAsync(("username", "mover"), ("password", "a brand new passphrase"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Password_change_needs_the_current_password_and_a_policy_compliant_new_one()
    {
        var tokens = await App.RegisterAndSignInAsync("careful", Password);
        var client = App.BearerClient(tokens.AccessToken);
        var hashBefore = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "careful").Select(u => u.PasswordHash).SingleAsync());

        var wrongCurrent = await client.PutAsJsonAsync("/user/password", new { current_password = "not it at all", new_password = "a brand new passphrase" });
        wrongCurrent.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrongCurrent.ReadJsonAsync()).GetProperty("errors").TryGetProperty("current_password", out _).ShouldBeTrue();

        var weak = await client.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "password1" });
        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await weak.ReadJsonAsync()).GetProperty("errors").TryGetProperty("new_password", out _).ShouldBeTrue();
        var control = await client.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "a brand\0new passphrase" });
        (await control.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").PropertyNames().ShouldBe(["new_password"]);

        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "careful").Select(u => u.PasswordHash).SingleAsync())).ShouldBe(hashBefore);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.RefreshAsync(tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
