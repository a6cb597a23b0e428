using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Passwords;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>
/// A login for a username that does not exist costs what a wrong password for a real one costs, and answers the
/// same: exactly one bcrypt computation (counted on the real implementation) and the same 401 body, for an unknown
/// user, a locked account, an account without a password and a wrong password alike. Counting, not timing: a
/// timed comparison says more about the machine's other load than about the service.
/// </summary>
public sealed class EnumerationTests(EnumerationTests.Fixture fixture) : IClassFixture<EnumerationTests.Fixture>
{
    private const string Password = "correct horse battery";

    public sealed class Fixture(PostgresServer server) : ServiceFixture<EnumerationTests>(server)
    {
        public RecordingBcrypt Bcrypt { get; } = new(new NativeBcrypt());

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) =>
            UserServicesApp.Start(settings, testServices: services => services.AddSingleton<IBcrypt>(Bcrypt));
    }

    [Fact]
    public async Task Unknown_locked_hashless_and_wrong_password_each_cost_one_bcrypt_and_answer_alike()
    {
        var app = fixture.App;
        (await app.RegisterAsync("counted", "counted@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.RegisterAsync("locked", "locked@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            (await users.SetLockoutEndDateAsync((await users.FindByNameAsync("locked"))!, DateTimeOffset.UtcNow.AddHours(1))).Succeeded.ShouldBeTrue();
            (await users.CreateAsync(new User { UserName = "hashless", Email = "hashless@example.com" })).Succeeded.ShouldBeTrue();
        }

        // The dummy hash is made once at start; wait for it so that only the logins' own work is counted.
        await fixture.Bcrypt.WaitForStartupHashAsync();

        foreach (var (username, password) in new[] { ("counted", "not the password"), ("nobody", Password), ("locked", Password), ("hashless", Password) })
        {
            fixture.Bcrypt.Calls.Clear();
            var response = await app.PostTokenAsync(("username", username), ("password", password));
            await response.ShouldBeProblemAsync(
                HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
            fixture.Bcrypt.Calls.Select(c => c.Operation).ShouldBe(["compute"], username);
        }
    }
}
