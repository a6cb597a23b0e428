using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passwords;

/// <summary>Hashes the Python service left behind, at a lower cost or corrupt, meeting the running service.</summary>
public sealed class PasswordRehashTests(PasswordRehashTests.Fixture fixture) : IClassFixture<PasswordRehashTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasswordRehashTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["BCRYPT_WORK_FACTOR"] = "5";
    }

    // python3-bcrypt 3.2: bcrypt.hashpw(b"short pw at cost 4", bcrypt.gensalt(4)).
    private const string LegacyPassword = "short pw at cost 4";
    private const string LegacyHash = "$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG";

    private UserServicesApp App => fixture.App;

    /// <summary>A row as a migration from the Python service's table would write it, with the user role.</summary>
    private Task<int> InsertLegacyUserAsync(string userName, string passwordHash) => App.WithDbAsync(async db =>
    {
        var user = new User
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = $"{userName}@example.com",
            NormalizedEmail = $"{userName}@example.com".ToUpperInvariant(),
            PasswordHash = passwordHash,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        db.UserRoles.Add(new() { UserId = user.Id, RoleId = await db.Roles.Where(r => r.Name == Role.Member).Select(r => r.Id).SingleAsync() });
        return await db.SaveChangesAsync();
    });

    private Task<string?> StoredHashAsync(string userName) =>
        App.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.PasswordHash).SingleAsync());

    [Fact]
    public async Task Login_with_a_cheaper_legacy_hash_succeeds_and_rewrites_it_at_the_configured_cost()
    {
        await InsertLegacyUserAsync("legacy", LegacyHash);

        var token = await App.TokenAsync("legacy", LegacyPassword);

        var stored = await StoredHashAsync("legacy");
        stored.ShouldNotBeNull();
        stored.ShouldStartWith("$2b$05$");
        stored.ShouldNotBe(LegacyHash);
        (await App.BearerClient(token).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The new hash verifies the same password, and a second login leaves it alone.
        await App.TokenAsync("legacy", LegacyPassword);
        (await StoredHashAsync("legacy")).ShouldBe(stored);
    }

    [Fact]
    public async Task Wrong_password_against_a_legacy_hash_is_401_and_leaves_the_hash_alone()
    {
        await InsertLegacyUserAsync("legacy2", LegacyHash);

        var response = await App.PostTokenAsync(("username", "legacy2"), ("password", "not the password"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await StoredHashAsync("legacy2")).ShouldBe(LegacyHash);
    }

    [Fact]
    public async Task Hash_at_the_configured_cost_is_not_rewritten()
    {
        (await App.RegisterAsync("current", "current@example.com", "violet tractor umbrella sings")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var stored = await StoredHashAsync("current");
        stored!.ShouldStartWith("$2b$05$");

        await App.TokenAsync("current", "violet tractor umbrella sings");

        (await StoredHashAsync("current")).ShouldBe(stored);
    }

    [Theory]
    [InlineData("corrupt1", "garbage")]
    [InlineData("corrupt2", "$2b$04$yBjnekELiT39eM0LWZAIx")]
    [InlineData("corrupt3", "$2b$99$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("corrupt4", "")]
    public async Task User_with_a_malformed_stored_hash_gets_401_invalid_grant_not_500(string userName, string hash)
    {
        await InsertLegacyUserAsync(userName, hash);

        var response = await App.PostTokenAsync(("username", userName), ("password", LegacyPassword));

        await response.ShouldBeProblemAsync(
            HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
    }
}
