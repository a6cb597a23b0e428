using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Sessions;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Users;

public sealed class ProfileTests(ServiceFixture<ProfileTests> fixture) : IClassFixture<ServiceFixture<ProfileTests>>
{
    private const string Password = "correct horse battery";
    private static readonly string[] MemberRole = ["user"];
    private UserServicesApp App => fixture.App;

    /// <summary>The account's id and stamp, and its (one) session: a minted token must name a live session.</summary>
    private async Task<(int Id, string? Stamp, Guid Session)> AccountAsync(string userName) =>
        await App.WithDbAsync(async db => await db.Sessions.Where(s => s.User!.UserName == userName)
            .Select(s => new ValueTuple<int, string?, Guid>(s.UserId, s.User!.SecurityStamp, s.Id)).SingleAsync());

    /// <summary>A token exactly like the service's own except for the times, key and claims the test changes.</summary>
    private static string Mint(int userId, string? stamp, Guid session, DateTime issuedAt, TimeSpan lifetime, string secret = UserServicesApp.SecretKey) =>
        AccessTokens.Mint(
            new Dictionary<string, object>
            {
                ["sub"] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["preferred_username"] = "minted",
                ["role"] = MemberRole,
                ["sst"] = SessionBinding.DigestOf(stamp),
                ["sid"] = session.ToString("N"),
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            AccessTokens.Hs256(secret),
            issuedAt,
            lifetime);

    [Fact]
    public async Task Profile_is_200_with_exactly_username_email_id()
    {
        var client = await App.SignedInClientAsync("paula", Password);
        var (id, _, _) = await AccountAsync("paula");

        var response = await client.GetAsync("/user/user");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["username", "email", "id"]);
        body.Str("username").ShouldBe("paula");
        body.Str("email").ShouldBe("paula@example.com");
        body.GetProperty("id").GetInt32().ShouldBe(id);
    }

    [Fact]
    public async Task Token_minted_by_the_test_with_the_right_key_and_times_is_accepted()
    {
        // The control for the refusals below: the minting helper itself makes acceptable tokens.
        await App.SignedInClientAsync("quinn", Password);
        var (id, stamp, session) = await AccountAsync("quinn");

        var response = await App.BearerClient(Mint(id, stamp, session, DateTime.UtcNow, TimeSpan.FromMinutes(5))).GetAsync("/user/user");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).Str("username").ShouldBe("quinn");
    }

    [Fact]
    public async Task No_authorization_header_is_401_invalid_token()
    {
        await (await App.CreateClient().GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Theory]
    [InlineData("Bearer", "not-a-jwt")]
    [InlineData("Bearer", "a.b.c")]
    [InlineData("Bearer", "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIxIn0.")]
    [InlineData("Basic", "YWxpY2U6cGFzc3dvcmQ=")]
    public async Task Malformed_token_is_401_invalid_token(string scheme, string value)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, value);

        await (await client.GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Token_expired_beyond_the_30_second_skew_is_401_invalid_token()
    {
        await App.SignedInClientAsync("rita", Password);
        var (id, stamp, session) = await AccountAsync("rita");
        var expired = Mint(id, stamp, session, DateTime.UtcNow.AddMinutes(-31), TimeSpan.FromMinutes(30));

        await (await App.BearerClient(expired).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Token_expired_within_the_30_second_skew_is_still_accepted()
    {
        await App.SignedInClientAsync("rhea", Password);
        var (id, stamp, session) = await AccountAsync("rhea");
        var justExpired = Mint(id, stamp, session, DateTime.UtcNow.AddMinutes(-30).AddSeconds(-10), TimeSpan.FromMinutes(30));

        (await App.BearerClient(justExpired).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_401_invalid_token()
    {
        await App.SignedInClientAsync("sam", Password);
        var (id, stamp, session) = await AccountAsync("sam");
        var forged = Mint(id, stamp, session, DateTime.UtcNow, TimeSpan.FromMinutes(5), secret: "another-secret-key-that-is-long-enough-9876543210");

        await (await App.BearerClient(forged).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Token_with_a_tampered_payload_is_401_invalid_token()
    {
        var token = await TokenForNewUserAsync("tess");
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"tess\"", "\"tesx\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        await (await App.BearerClient(tampered).GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task Deleted_user_is_404_problem_details()
    {
        var client = await App.SignedInClientAsync("uma", Password);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "uma").ExecuteDeleteAsync())).ShouldBe(1);
        var response = await client.GetAsync("/user/user");

        await response.ShouldBeProblemAsync(
            HttpStatusCode.NotFound, title: "Not Found", detail: "The account this token was issued for no longer exists.");
    }

    [Fact]
    public async Task Token_issued_before_a_password_change_is_401_and_a_new_one_works()
    {
        var client = await App.SignedInClientAsync("vera", Password);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = (await users.FindByNameAsync("vera"))!;
            var changed = await users.ChangePasswordAsync(user, Password, "a brand new passphrase here");
            changed.Succeeded.ShouldBeTrue(string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        await (await client.GetAsync("/user/user")).ShouldBeInvalidTokenAsync();
        var fresh = App.BearerClient(await App.TokenAsync("vera", "a brand new passphrase here"));
        (await fresh.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<string> TokenForNewUserAsync(string userName) => (await App.RegisterAndSignInAsync(userName, Password)).AccessToken;
}
