using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Sessions;

/// <summary>Refresh tokens: rotation, reuse detection, races, expiry, revocation, logout and cleanup.</summary>
public sealed class RefreshTokenTests(ServiceFixture<RefreshTokenTests> fixture) : IClassFixture<ServiceFixture<RefreshTokenTests>>
{
    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    private static async Task ShouldBeInvalidGrantAsync(HttpResponseMessage response) =>
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");

    [Fact]
    public async Task Refresh_token_is_256_random_bits_stored_only_as_its_sha256()
    {
        var tokens = await App.RegisterAndSignInAsync("hashed", Password);

        Base64UrlDecodedLength(tokens.RefreshToken).ShouldBeGreaterThanOrEqualTo(32);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tokens.RefreshToken)));
        var stored = await App.WithDbAsync(db => db.RefreshTokens.Select(t => t.TokenHash).ToListAsync());
        stored.ShouldContain(hash);
        stored.ShouldNotContain(tokens.RefreshToken);
    }

    [Fact]
    public async Task Refresh_grant_rotates_both_tokens_and_the_new_access_token_works()
    {
        var first = await App.RegisterAndSignInAsync("rotator", Password);

        var response = await App.RefreshAsync(first.RefreshToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token"]);
        body.Str("refresh_token").ShouldNotBe(first.RefreshToken);
        var profile = await App.BearerClient(body.Str("access_token")).GetFromJsonAsync<Dictionary<string, object>>("/user/user");
        profile!["username"].ToString().ShouldBe("rotator");
        // And the rotated one chains on.
        (await App.RefreshAsync(body.Str("refresh_token"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reusing_a_rotated_token_revokes_the_whole_family()
    {
        var first = await App.RegisterAndSignInAsync("reused", Password);
        var second = (await (await App.RefreshAsync(first.RefreshToken)).ReadJsonAsync()).Str("refresh_token");
        await UsedSecondsAgoAsync("reused", 11);

        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(first.RefreshToken));

        // The thief may hold the newest one too: it dies with the family.
        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(second));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_token_all_get_the_same_successor_round_after_round()
    {
        var token = (await App.RegisterAndSignInAsync("racer", Password)).RefreshToken;
        for (var round = 1; round <= 5; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => App.RefreshAsync(token)));

            responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK);
            var successors = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).Str("refresh_token")));
            successors.Distinct().Count().ShouldBe(1);
            token = successors[0];
            // One chain, never a fork: the password login's token plus one successor per round, none revoked.
            var rows = await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "racer").ToListAsync());
            rows.Count.ShouldBe(round + 1);
            rows.ShouldAllBe(t => t.RevokedAt == null);
        }

        (await App.RefreshAsync(token)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_retry_within_the_reuse_interval_gets_the_same_successor_and_a_working_access_token()
    {
        var first = await App.RegisterAndSignInAsync("retrier", Password);
        var rotated = await (await App.RefreshAsync(first.RefreshToken)).ReadJsonAsync();

        var retried = await App.RefreshAsync(first.RefreshToken);

        retried.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await retried.ReadJsonAsync();
        body.Str("refresh_token").ShouldBe(rotated.Str("refresh_token"));
        JwtParts.Payload(body.Str("access_token")).GetProperty("sid").GetString()
            .ShouldBe(JwtParts.Payload(rotated.Str("access_token")).GetProperty("sid").GetString());
        (await App.BearerClient(body.Str("access_token")).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The successor is stored only sealed under its predecessor: the table alone does not give it away.
        var sealedBytes = await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.SuccessorSealed != null).Select(t => t.SuccessorSealed!).ToListAsync());
        sealedBytes.ShouldNotBeEmpty();
        sealedBytes.ShouldAllBe(b => !Encoding.UTF8.GetString(b).Contains(rotated.Str("refresh_token"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retry_after_the_successor_was_used_is_refused_and_revokes_nothing()
    {
        var first = await App.RegisterAndSignInAsync("chainer", Password);
        var second = (await (await App.RefreshAsync(first.RefreshToken)).ReadJsonAsync()).Str("refresh_token");
        var third = (await (await App.RefreshAsync(second)).ReadJsonAsync()).Str("refresh_token");

        // The holder moved on twice; the first token back within the interval gets no already-spent successor.
        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(first.RefreshToken));

        (await App.RefreshAsync(third)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_retry_after_logout_is_refused_and_revives_nothing()
    {
        var first = await App.RegisterAndSignInAsync("late-retrier", Password);
        var rotated = await (await App.RefreshAsync(first.RefreshToken)).ReadJsonAsync();
        (await App.BearerClient(rotated.Str("access_token")).PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(first.RefreshToken));
        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(rotated.Str("refresh_token")));
    }

    /// <summary>Moves the used tokens of <paramref name="username"/> out of the reuse interval.</summary>
    private Task<int> UsedSecondsAgoAsync(string username, int seconds) =>
        App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == username && t.UsedAt != null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, DateTime.UtcNow.AddSeconds(-seconds))));

    [Fact]
    public async Task Idle_expired_token_is_refused()
    {
        var tokens = await App.RegisterAndSignInAsync("idler", Password);
        await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "idler")
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(tokens.RefreshToken));
    }

    [Fact]
    public async Task Family_past_its_absolute_lifetime_is_refused()
    {
        var tokens = await App.RegisterAndSignInAsync("elder", Password);
        await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "elder")
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.FamilyExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(tokens.RefreshToken));
    }

    [Fact]
    public async Task New_tokens_of_a_family_never_outlive_its_absolute_expiry()
    {
        var tokens = await App.RegisterAndSignInAsync("bounded", Password);
        var familyEnd = await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "bounded").Select(t => t.FamilyExpiresAt).SingleAsync());
        familyEnd.ShouldBeInRange(DateTime.UtcNow.AddDays(14).AddMinutes(-1), DateTime.UtcNow.AddDays(14).AddMinutes(1));

        (await App.RefreshAsync(tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "bounded").OrderBy(t => t.Id).ToListAsync());
        rows.Count.ShouldBe(2);
        rows[1].FamilyExpiresAt.ShouldBe(rows[0].FamilyExpiresAt);
        rows[1].ExpiresAt.ShouldBeInRange(DateTime.UtcNow.AddDays(7).AddMinutes(-1), DateTime.UtcNow.AddDays(7).AddMinutes(1));
        rows[0].ReplacedById.ShouldBe(rows[1].Id);
        rows[0].UsedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Revocation_ends_the_family_and_unknown_tokens_still_get_200()
    {
        var tokens = await App.RegisterAndSignInAsync("revoker", Password);

        var revoke = await App.CreateClient().PostAsync("/user/revoke",
            new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.RefreshToken), KeyValuePair.Create("token_type_hint", "refresh_token")]));
        revoke.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(tokens.RefreshToken));

        (await App.CreateClient().PostAsync("/user/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", "never-issued")])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.CreateClient().PostAsync("/user/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token_type_hint", "refresh_token")])))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Logout_ends_this_sign_in_only()
    {
        var phone = await App.RegisterAndSignInAsync("leaver", Password);
        var laptop = await App.SignInAsync("leaver", Password);

        var logout = await App.BearerClient(phone.AccessToken).PostAsync("/user/logout", null);

        logout.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(phone.RefreshToken));
        (await App.RefreshAsync(laptop.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.CreateClient().PostAsync("/user/logout", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_stops_when_the_account_is_locked_or_deleted()
    {
        var locked = await App.RegisterAndSignInAsync("frozen", Password);
        var deleted = await App.RegisterAndSignInAsync("gone", Password);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            (await users.SetLockoutEndDateAsync((await users.FindByNameAsync("frozen"))!, DateTimeOffset.UtcNow.AddHours(1))).Succeeded.ShouldBeTrue();
            (await users.DeleteAsync((await users.FindByNameAsync("gone"))!)).Succeeded.ShouldBeTrue();
        }

        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(locked.RefreshToken));
        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(deleted.RefreshToken));
    }

    [Fact]
    public async Task A_lockout_suspends_refresh_but_does_not_end_the_sign_in()
    {
        var tokens = await App.RegisterAndSignInAsync("suspended", Password);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = (await users.FindByNameAsync("suspended"))!;
            (await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1))).Succeeded.ShouldBeTrue();
        }

        await ShouldBeInvalidGrantAsync(await App.RefreshAsync(tokens.RefreshToken));

        // Others can cause a lockout by guessing; when it ends, the owner's session goes on.
        await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "suspended")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, (DateTimeOffset?)null)));
        (await App.RefreshAsync(tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Racing_right_and_wrong_passwords_never_give_a_5xx()
    {
        (await App.RegisterAsync("contested", "contested@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        for (var round = 0; round < 6; round++)
        {
            // Never five failures in a row across rounds: this is about races, not lockout.
            await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "contested").ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, 0)));

            // The wrong guesses bump the failure counter while the right login resets it: Identity's concurrency
            // stamp makes one of those updates lose, which must not leak into the refresh token's save.
            var responses = await Task.WhenAll(
                App.PostTokenAsync(("username", "contested"), ("password", Password)),
                App.PostTokenAsync(("username", "contested"), ("password", "wrong guess one")),
                App.PostTokenAsync(("username", "contested"), ("password", Password)),
                App.PostTokenAsync(("username", "contested"), ("password", "wrong guess two")));

            responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Unauthorized);
            responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task A_revocation_racing_a_rotation_also_ends_the_rotated_token()
    {
        for (var round = 0; round < 10; round++)
        {
            var tokens = await App.RegisterAndSignInAsync($"raced{round}", Password);
            var refresh = App.RefreshAsync(tokens.RefreshToken);
            var revoke = App.CreateClient().PostAsync("/user/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.RefreshToken)]));
            await Task.WhenAll(refresh, revoke);

            (await revoke).StatusCode.ShouldBe(HttpStatusCode.OK);
            if ((await refresh).StatusCode == HttpStatusCode.OK)
            {
                // Whichever won, nothing of the sign-in may survive the revocation.
                await ShouldBeInvalidGrantAsync(await App.RefreshAsync((await (await refresh).ReadJsonAsync()).Str("refresh_token")));
            }
        }
    }

    [Fact]
    public async Task Cleanup_deletes_the_rows_of_ended_sign_ins_and_keeps_live_ones()
    {
        var ended = await App.RegisterAndSignInAsync("ended", Password);
        (await App.RefreshAsync(ended.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var live = await App.RegisterAndSignInAsync("alive", Password);
        await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "ended")
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.FamilyExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        var deleted = await App.Services.GetRequiredService<UserServices.Api.Sessions.RefreshTokenCleanup>().DeleteExpiredAsync(CancellationToken.None);

        deleted.ShouldBeGreaterThanOrEqualTo(2);
        (await App.WithDbAsync(db => db.RefreshTokens.CountAsync(t => t.User!.UserName == "ended"))).ShouldBe(0);
        (await App.RefreshAsync(live.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_grant_without_a_token_is_invalid_request()
    {
        var response = await App.PostTokenAsync(("grant_type", "refresh_token"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_request");
    }

    private static int Base64UrlDecodedLength(string token) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token).Length;
}
