using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Admin;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Sessions;

/// <summary>
/// However a session ends — logout, revocation, reuse detection, its person or an admin — its access tokens are
/// refused on every bearer endpoint by the very next request, while the account's other sessions go on.
/// </summary>
public sealed class SessionEndsAtOnceTests(AdminFixture<SessionEndsAtOnceTests> fixture) : IClassFixture<AdminFixture<SessionEndsAtOnceTests>>
{
    private const string Password = AdminFixture<SessionEndsAtOnceTests>.Password;

    private UserServicesApp App => fixture.App;

    /// <summary>Registers <paramref name="username"/> with two sign-ins: the one a test ends and one that must survive.</summary>
    private async Task<(SignIn Ended, SignIn Other)> TwoSignInsAsync(string username)
    {
        var ended = await App.RegisterAndSignInAsync(username, Password);
        var other = await App.SignInAsync(username, Password);
        (await App.BearerClient(ended.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (ended, other);
    }

    private async Task OnlyTheOtherGoesOnAsync(SignIn ended, SignIn other)
    {
        await BearerEndpoints.ShouldAllRefuseAsync(App, ended.AccessToken);
        (await App.BearerClient(other.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.RefreshAsync(other.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string SessionIdOf(string accessToken) => AccessTokens.ClaimsOf(accessToken, "sid")["sid"].ToString()!;

    [Fact]
    public async Task After_logout_the_sessions_access_token_is_refused_everywhere()
    {
        var (ended, other) = await TwoSignInsAsync("loggedout");

        (await App.BearerClient(ended.AccessToken).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await OnlyTheOtherGoesOnAsync(ended, other);
    }

    [Fact]
    public async Task After_its_refresh_token_is_revoked_the_sessions_access_token_is_refused_everywhere()
    {
        var (ended, other) = await TwoSignInsAsync("revoked");

        (await App.CreateClient().PostAsync("/user/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", ended.RefreshToken)])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        await OnlyTheOtherGoesOnAsync(ended, other);
    }

    [Fact]
    public async Task After_reuse_detection_every_access_token_of_the_session_is_refused_everywhere()
    {
        var (first, other) = await TwoSignInsAsync("stolen");
        var rotated = await App.RefreshAsync(first.RefreshToken);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var thief = (await rotated.ReadJsonAsync()).Str("access_token");
        // Out of the reuse interval, so the old token's second use is theft, not a retry.
        await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "stolen" && t.UsedAt != null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, DateTime.UtcNow.AddSeconds(-11))));

        (await App.RefreshAsync(first.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        await OnlyTheOtherGoesOnAsync(first, other);
        await (await App.BearerClient(thief).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        (await App.WithDbAsync(db => db.Sessions.Where(s => s.User!.UserName == "stolen" && s.EndedAt != null).Select(s => s.EndCause).ToListAsync()))
            .ShouldBe(["reuse_detected"]);
    }

    [Fact]
    public async Task After_an_admin_ends_it_the_sessions_access_token_is_refused_everywhere()
    {
        var (ended, other) = await TwoSignInsAsync("adminended");
        var id = await fixture.IdOfAsync("adminended");
        using var admin = await fixture.ClientOfAsync();

        (await admin.DeleteAsync($"/admin/users/{id}/sessions/{SessionIdOf(ended.AccessToken)}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await OnlyTheOtherGoesOnAsync(ended, other);
    }

    [Fact]
    public async Task After_an_admin_logs_the_account_out_no_session_is_left()
    {
        var (first, second) = await TwoSignInsAsync("allended");
        var id = await fixture.IdOfAsync("allended");
        using var admin = await fixture.ClientOfAsync();

        (await admin.PostAsync($"/admin/users/{id}/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await BearerEndpoints.ShouldAllRefuseAsync(App, first.AccessToken);
        await (await App.BearerClient(second.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        var list = await (await admin.GetAsync($"/admin/users/{id}/sessions")).ReadJsonAsync();
        list.GetProperty("sessions").GetArrayLength().ShouldBe(0);
        (await App.WithDbAsync(db => db.Sessions.Where(s => s.UserId == id).Select(s => s.EndCause).ToListAsync())).ShouldBe(["ended_by_admin", "ended_by_admin"]);
    }

    [Fact]
    public async Task A_password_change_ends_every_session_and_the_list_shows_none_of_them()
    {
        var (first, second) = await TwoSignInsAsync("changer");

        using var client = App.BearerClient(first.AccessToken);
        (await client.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "another horse battery" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await App.BearerClient(second.AccessToken).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        var fresh = await App.SignInAsync("changer", "another horse battery");
        var sessions = await (await App.BearerClient(fresh.AccessToken).GetAsync("/user/sessions")).ReadJsonAsync();
        sessions.GetProperty("sessions").EnumerateArray().Select(s => s.Str("id")).ShouldBe([SessionIdOf(fresh.AccessToken)]);
    }
}
