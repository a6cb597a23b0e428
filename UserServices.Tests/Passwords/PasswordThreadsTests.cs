using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Passwords;
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

    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasswordThreadsTests>(server)
    {
        public RecordingBcrypt Bcrypt { get; } = new(new NativeBcrypt());

        // Cost 5, one above the cheapest, so that a cost-4 hash is one to upgrade.
        protected override void Configure(Dictionary<string, string?> settings) => settings["BCRYPT_WORK_FACTOR"] = "5";

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
