using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Admin.LegacyImport;
using UserServices.Api.Commands;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>A stored cost below BCRYPT_WORK_FACTOR is upgraded at the first login, also for accounts with odd fields.</summary>
public sealed class LegacyImportRehashTests(LegacyImportRehashTests.Fixture fixture) : IClassFixture<LegacyImportRehashTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<LegacyImportRehashTests>(server)
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var legacyUrl = await LegacyDatabase.CreateAsync(Server, "legacyrehash",
            [
                new(4, "heidi", "heidi@example.com", LegacyHashes.CheapHash),
                new(6, "old timer", "", LegacyHashes.SpacedHash),
            ]);
            var run = await LegacyDatabase.ImportAsync(App, legacyUrl);
            run.ExitCode.ShouldBe(LegacyImportCommand.Complete, run.Output + run.Error);
        }

        // Above the stored $2b$04$, and still cheap.
        protected override void Configure(Dictionary<string, string?> settings) => settings["BCRYPT_WORK_FACTOR"] = "6";
    }

    private UserServicesApp App => fixture.App;

    [Theory]
    [InlineData("heidi", LegacyHashes.CheapPassword, LegacyHashes.CheapHash, 4)]
    // Registration would refuse both its username (space) and its missing email; the upgrade must be saved anyway.
    [InlineData("old timer", LegacyHashes.SpacedPassword, LegacyHashes.SpacedHash, 6)]
    public async Task First_login_upgrades_the_hash_to_the_configured_cost_and_the_token_stays_valid(
        string username, string password, string legacyHash, int id)
    {
        (await StoredHashAsync(id)).ShouldBe(legacyHash);

        var token = await App.TokenAsync(username, password);

        var upgraded = await StoredHashAsync(id);
        upgraded.ShouldStartWith("$2b$06$");
        upgraded.ShouldNotBe(legacyHash);
        (await App.BearerClient(token).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await App.TokenAsync(username, password);
        (await StoredHashAsync(id)).ShouldBe(upgraded);
    }

    private Task<string?> StoredHashAsync(int id) =>
        App.WithDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.PasswordHash).SingleAsync());
}
