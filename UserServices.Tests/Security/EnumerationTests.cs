using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UserServices.Api.Passwords;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>A login for a username that does not exist costs what a wrong password for a real one costs.</summary>
/// <remarks>Runs alone: timings taken while other test classes load both cores say more about them than about us.</remarks>
[Collection(nameof(TimingSensitive))]
public sealed class EnumerationTests(EnumerationTests.Fixture fixture) : IClassFixture<EnumerationTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<EnumerationTests>(server)
    {
        // Cost 10 (~60 ms a hash) makes bcrypt dominate each request, as it does at the production cost of 12
        // (a failed login's extra UPDATE is ~1 ms), while 32 logins stay quick. Lockout off for this account: 30 wrong passwords would lock it otherwise.
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["BCRYPT_WORK_FACTOR"] = "10";
            settings["Lockout:MaxFailedAttempts"] = "100";
        }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("known", "known@example.com", Password)).EnsureSuccessStatusCode();
        }

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) =>
            UserServicesApp.Start(settings, testServices: services =>
            {
                services.AddSingleton(sp => new CountingPasswordHasher(sp.GetRequiredService<BcryptPasswordHasher>()));
                services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<User>>(sp => sp.GetRequiredService<CountingPasswordHasher>()));
            });
    }

    /// <summary>Identity's password hasher as the service registers it, counting the checks against stored hashes.</summary>
    public sealed class CountingPasswordHasher(BcryptPasswordHasher hasher) : IPasswordHasher<User>
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(User user, string password) => hasher.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private const string Password = "correct horse battery";

    /// <remarks>
    /// The other failures spend their one bcrypt on the dummy hash, which the credential check calls on the concrete
    /// hasher, out of a decorator's reach; the timing test below is what shows that cost.
    /// </remarks>
    [Fact]
    public async Task Wrong_password_is_one_check_of_the_stored_hash_and_unknown_locked_or_hashless_accounts_are_none()
    {
        var app = fixture.App;
        var hasher = app.Services.GetRequiredService<CountingPasswordHasher>();
        (await app.RegisterAsync("counted", "counted@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.RegisterAsync("locked", "locked@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            (await users.SetLockoutEndDateAsync((await users.FindByNameAsync("locked"))!, DateTimeOffset.UtcNow.AddHours(1))).Succeeded.ShouldBeTrue();
            (await users.CreateAsync(new User { UserName = "hashless", Email = "hashless@example.com" })).Succeeded.ShouldBeTrue();
        }

        async Task<int> StoredHashChecksOfFailedLoginAsync(string username, string password)
        {
            var before = hasher.Verifications;
            var response = await app.PostTokenAsync(("username", username), ("password", password));
            await response.ShouldBeProblemAsync(
                HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
            return hasher.Verifications - before;
        }

        (await StoredHashChecksOfFailedLoginAsync("counted", "not the password")).ShouldBe(1);
        (await StoredHashChecksOfFailedLoginAsync("nobody", Password)).ShouldBe(0);
        (await StoredHashChecksOfFailedLoginAsync("locked", Password)).ShouldBe(0);
        (await StoredHashChecksOfFailedLoginAsync("hashless", Password)).ShouldBe(0);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_take_the_same_time()
    {
        var client = fixture.App.CreateClient();
        async Task<double> TimeLoginAsync(string username)
        {
            var form = new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", "not the password")]);
            var watch = Stopwatch.StartNew();
            var response = await client.PostAsync("/user/token", form);
            watch.Stop();
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            return watch.Elapsed.TotalMilliseconds;
        }

        // Warm both paths (the dummy hash is made on first use), then interleave so machine noise hits both alike.
        await TimeLoginAsync("nobody-warmup");
        await TimeLoginAsync("known");
        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            unknown.Add(await TimeLoginAsync($"nobody{i}"));
            wrong.Add(await TimeLoginAsync("known"));
        }

        var ratio = Median(unknown) / Median(wrong);
        ratio.ShouldBeInRange(0.8, 1.25, $"median unknown-user {Median(unknown):F1} ms, wrong-password {Median(wrong):F1} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}

[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
