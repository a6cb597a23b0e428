using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UserServices.Api.Mail;
using UserServices.Api.Passwords;
using UserServices.Data;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passwords;

/// <summary>
/// Every bcrypt of a request runs on the dedicated password threads, exactly once per check, whatever the outcome:
/// the thread pool never blocks on bcrypt, and unknown users, locked accounts and wrong passwords cost the same.
/// Counted on the real implementation (a forwarding wrapper records each call and the thread it ran on).
/// </summary>
public sealed class PasswordThreadsTests(PasswordThreadsTests.Fixture fixture) : IClassFixture<PasswordThreadsTests.Fixture>
{
    private const string Password = "correct horse battery";

    // Mail, for the change of address; an admin, for the admin's set-password.
    public sealed class Fixture(PostgresServer server) : MailServiceFixture<PasswordThreadsTests>(server)
    {
        public RecordingBcrypt Bcrypt { get; } = new(new NativeBcrypt());

        // Cost 5, one above the cheapest, so that a cost-4 hash is one to upgrade.
        protected override void Configure(Dictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["BCRYPT_WORK_FACTOR"] = "5";
            settings["ADMIN_USERNAME"] = "pt-root";
            settings["ADMIN_EMAIL"] = "pt-root@example.com";
            settings["ADMIN_PASSWORD"] = Password;
        }

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) =>
            UserServicesApp.Start(settings, testServices: services => services.AddSingleton<IBcrypt>(Bcrypt));

        /// <summary>Lets the service's start-up work (the dummy hash) finish, so only the tests' own calls count.</summary>
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            await Bcrypt.WaitForStartupHashAsync();
        }
    }

    private RecordingBcrypt Bcrypt => fixture.Bcrypt;

    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Each_kind_of_login_costs_exactly_one_bcrypt_on_a_password_thread()
    {
        Bcrypt.Calls.Clear();
        await RegisterAsync("pt-right");
        await RegisterAsync("pt-locked");
        await LockAsync("pt-locked");
        Bcrypt.Calls.Clear();

        foreach (var (user, password, expected) in new[]
        {
            ("pt-right", Password, HttpStatusCode.OK),
            ("pt-right", "wrong password entirely", HttpStatusCode.Unauthorized),
            ("pt-nobody", Password, HttpStatusCode.Unauthorized),
            ("pt-locked", Password, HttpStatusCode.Unauthorized),
        })
        {
            (await LoginAsync(user, password)).ShouldBe(expected, user);
            var calls = Bcrypt.Calls.ToArray();
            Bcrypt.Calls.Clear();
            calls.Select(c => c.Operation).ShouldBe(["compute"], $"{user} / {expected}");
            calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Enrolling_and_turning_off_two_factor_sign_in_run_one_bcrypt_each_on_a_password_thread_and_the_second_step_none()
    {
        var client = await RegisterAsync("pt-twofactor");
        Bcrypt.Calls.Clear();
        var secret = (await TwoFactor.EnrolAsync(client, Password, DateTimeOffset.UtcNow)).Secret;
        Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute"]);

        Bcrypt.Calls.Clear();
        var mfaToken = (await (await App.PostTokenAsync(("username", "pt-twofactor"), ("password", Password))).ReadJsonAsync()).Str("mfa_token");
        var code = TestTotp.CodeAt(secret, DateTimeOffset.UtcNow, 1);
        (await App.PostTokenAsync(("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"), ("mfa_token", mfaToken), ("otp", code))).StatusCode.ShouldBe(HttpStatusCode.OK);
        Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute"]); // the password step's; the code costs none

        Bcrypt.Calls.Clear();
        var off = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/mfa/totp") { Content = JsonContent.Create(new { password = Password, code = "000000" }) });
        off.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute"]);
        Bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registration_and_password_change_hash_on_password_threads()
    {
        Bcrypt.Calls.Clear();
        var client = await RegisterAsync("pt-changer");
        Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["hash", "compute"]); // the registration, then its sign-in
        Bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));

        Bcrypt.Calls.Clear();
        var response = await client.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "a brand new passphrase" });
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute", "hash"]);
        Bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        (await LoginAsync("pt-changer", "a brand new passphrase")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_cheaper_stored_hash_is_upgraded_on_a_password_thread_at_login()
    {
        Bcrypt.Calls.Clear();
        await RegisterAsync("pt-cheap");
        var cheap = new NativeBcrypt().Hash(Password, 4);
        await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "pt-cheap")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, cheap)));
        Bcrypt.Calls.Clear();

        (await LoginAsync("pt-cheap", Password)).ShouldBe(HttpStatusCode.OK);

        Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute", "hash"]);
        Bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        var stored = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "pt-cheap").Select(u => u.PasswordHash).SingleAsync());
        stored.ShouldNotBe(cheap);
        stored!.ShouldStartWith("$2b$05$");
    }

    [Fact]
    public async Task Reset_admin_set_password_closure_and_email_change_each_run_one_bcrypt_on_a_password_thread()
    {
        var resetter = await RegisterAsync("pt-resetter");
        var closer = await RegisterAsync("pt-closer");
        var mover = await RegisterAsync("pt-mover");
        var admin = App.BearerClient(await App.TokenAsync("pt-root", Password));
        var resetterId = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "pt-resetter").Select(u => u.Id).SingleAsync());
        var resetToken = await MintResetTokenAsync("pt-resetter");

        foreach (var (path, request, expected, operation) in new (string, Func<Task<HttpResponseMessage>>, HttpStatusCode, string)[]
        {
            ("reset", () => App.CreateClient().PostAsJsonAsync("/user/password/reset", new { token = resetToken, new_password = "a reset passphrase here" }),
                HttpStatusCode.NoContent, "hash"),
            ("admin set-password", () => admin.PutAsJsonAsync($"/admin/users/{resetterId}/password", new { new_password = "an admin chosen passphrase" }),
                HttpStatusCode.NoContent, "hash"),
            ("closure", () => closer.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/user") { Content = JsonContent.Create(new { password = Password }) }),
                HttpStatusCode.NoContent, "compute"),
            ("email change", () => mover.PutAsJsonAsync("/user/email", new { new_email = "pt-moved@example.com", password = Password }),
                HttpStatusCode.Accepted, "compute"),
        })
        {
            Bcrypt.Calls.Clear();
            var response = await request();
            response.StatusCode.ShouldBe(expected, $"{path}: {await response.Content.ReadAsStringAsync()}");
            var calls = Bcrypt.Calls.ToArray();
            calls.Select(c => c.Operation).ShouldBe([operation], path);
            calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        }

        (await LoginAsync("pt-resetter", "an admin chosen passphrase")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void Identitys_hasher_refuses_to_run_on_a_request()
    {
        var hasher = new OffRequestPasswordHasher(
            new BcryptPasswordHasher(new NativeBcrypt(), Options.Create(new PasswordHashingOptions { WorkFactor = 4 })),
            new HttpContextAccessor { HttpContext = new DefaultHttpContext() });
        var user = new User { UserName = "anyone" };

        Should.Throw<InvalidOperationException>(() => hasher.HashPassword(user, Password)).Message.ShouldContain("PasswordWork");
        Should.Throw<InvalidOperationException>(() => hasher.VerifyHashedPassword(user, "$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG", Password));
    }

    [Fact]
    public void Identitys_hasher_runs_outside_requests_for_the_seed_and_the_import()
    {
        var hasher = new OffRequestPasswordHasher(
            new BcryptPasswordHasher(new NativeBcrypt(), Options.Create(new PasswordHashingOptions { WorkFactor = 4 })), new HttpContextAccessor());
        var user = new User { UserName = "anyone" };

        var hash = hasher.HashPassword(user, Password);

        hasher.VerifyHashedPassword(user, hash, Password).ShouldBe(PasswordVerificationResult.Success);
    }

    /// <summary>A reset link's token, minted as the mail sender mints it.</summary>
    private async Task<string> MintResetTokenAsync(string username)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == username);
        return await scope.ServiceProvider.GetRequiredService<AccountTokens>().MintAsync(user, TokenPurpose.PasswordReset, null, TimeSpan.FromMinutes(5), CancellationToken.None);
    }

    private async Task<HttpClient> RegisterAsync(string username)
    {
        var client = App.CreateClient();
        (await client.PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await (await LoginResponseAsync(username, Password)).ReadJsonAsync();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Str("access_token"));
        return client;
    }

    private Task<int> LockAsync(string username) => App.WithDbAsync(db => db.Users.Where(u => u.UserName == username)
        .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1))));

    private async Task<HttpStatusCode> LoginAsync(string username, string password) => (await LoginResponseAsync(username, password)).StatusCode;

    private Task<HttpResponseMessage> LoginResponseAsync(string username, string password) => App.CreateClient().PostAsync("/user/token",
        new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", password)]));
}
