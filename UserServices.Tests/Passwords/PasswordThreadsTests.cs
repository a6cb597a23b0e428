using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
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
public sealed class PasswordThreadsTests(PostgresApp fixture) : IClassFixture<PostgresApp>, IDisposable
{
    private const string Password = "correct horse battery";
    private readonly RecordingBcrypt _bcrypt = new(new NativeBcrypt());
    private WebApplicationFactory<Program>? _app;

    // Cost 5, one above the cheapest, so that a cost-4 hash is one to upgrade.
    private WebApplicationFactory<Program> App => _app ??= fixture.App.WithWebHostBuilder(builder => builder
        .UseSetting("BCRYPT_WORK_FACTOR", "5")
        .ConfigureTestServices(services => services.AddSingleton<IBcrypt>(_bcrypt)));

    /// <summary>Starts the service and lets its start-up work (the dummy hash) finish, so only the test's own calls count.</summary>
    private async Task StartAsync()
    {
        _ = App.Server;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_bcrypt.Calls.Any(c => c.Operation == "hash"))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the password threads never made the dummy hash");
            await Task.Delay(10);
        }

        _bcrypt.Calls.Clear();
    }

    [Fact]
    public async Task Each_kind_of_login_costs_exactly_one_bcrypt_on_a_password_thread()
    {
        await StartAsync();
        await RegisterAsync("pt-right");
        await RegisterAsync("pt-locked");
        await LockAsync("pt-locked");
        _bcrypt.Calls.Clear();

        foreach (var (user, password, expected) in new[]
        {
            ("pt-right", Password, HttpStatusCode.OK),
            ("pt-right", "wrong password entirely", HttpStatusCode.Unauthorized),
            ("pt-nobody", Password, HttpStatusCode.Unauthorized),
            ("pt-locked", Password, HttpStatusCode.Unauthorized),
        })
        {
            (await LoginAsync(user, password)).ShouldBe(expected, user);
            var calls = _bcrypt.Calls.ToArray();
            _bcrypt.Calls.Clear();
            calls.Select(c => c.Operation).ShouldBe(["compute"], $"{user} / {expected}");
            calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Registration_and_password_change_hash_on_password_threads()
    {
        await StartAsync();
        var client = await RegisterAsync("pt-changer");
        _bcrypt.Calls.Select(c => c.Operation).ShouldBe(["hash", "compute"]); // the registration, then its sign-in
        _bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));

        _bcrypt.Calls.Clear();
        var response = await client.PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "a brand new passphrase" });
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        _bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute", "hash"]);
        _bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        (await LoginAsync("pt-changer", "a brand new passphrase")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_cheaper_stored_hash_is_upgraded_on_a_password_thread_at_login()
    {
        await StartAsync();
        await RegisterAsync("pt-cheap");
        var cheap = new NativeBcrypt().Hash(Password, 4);
        await fixture.App.WithDbAsync(db => db.Users.Where(u => u.UserName == "pt-cheap")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, cheap)));
        _bcrypt.Calls.Clear();

        (await LoginAsync("pt-cheap", Password)).ShouldBe(HttpStatusCode.OK);

        _bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute", "hash"]);
        _bcrypt.Calls.ShouldAllBe(c => c.Thread.StartsWith("bcrypt-", StringComparison.Ordinal));
        var stored = await fixture.App.WithDbAsync(db => db.Users.Where(u => u.UserName == "pt-cheap").Select(u => u.PasswordHash).SingleAsync());
        stored.ShouldNotBe(cheap);
        stored!.ShouldStartWith("$2b$05$");
    }

    public void Dispose() => _app?.Dispose();

    private async Task<HttpClient> RegisterAsync(string username)
    {
        var client = App.CreateClient();
        (await client.PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await (await LoginResponseAsync(username, Password)).ReadJsonAsync();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Str("access_token"));
        return client;
    }

    private Task<int> LockAsync(string username) => fixture.App.WithDbAsync(db => db.Users.Where(u => u.UserName == username)
        .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1))));

    private async Task<HttpStatusCode> LoginAsync(string username, string password) => (await LoginResponseAsync(username, password)).StatusCode;

    private Task<HttpResponseMessage> LoginResponseAsync(string username, string password) => App.CreateClient().PostAsync("/user/token",
        new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", password)]));

    /// <summary>The real bcrypt, with a note of every call and the thread it ran on.</summary>
    private sealed class RecordingBcrypt(IBcrypt inner) : IBcrypt
    {
        public ConcurrentQueue<(string Operation, string Thread)> Calls { get; } = new();

        public string Name => inner.Name;

        public string Hash(string password, int workFactor)
        {
            Calls.Enqueue(("hash", Thread.CurrentThread.Name ?? "(pool)"));
            return inner.Hash(password, workFactor);
        }

        public string? Compute(string password, string setting)
        {
            Calls.Enqueue(("compute", Thread.CurrentThread.Name ?? "(pool)"));
            return inner.Compute(password, setting);
        }
    }
}
