using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary><c>dotnet UserServices.Api.dll admin grant|revoke|unlock USERNAME</c>, run as the operator runs it.</summary>
public sealed class AdminCommandTests(AdminCommandTests.Fixture fixture) : IClassFixture<AdminCommandTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : AdminFixture<AdminCommandTests>(server);

    private UserServicesApp App => fixture.App;

    private Task<ProcessResult> RunAsync(params string[] arguments) => ApiProcess.RunAsync(
        new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = fixture.DatabaseUrl,
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
        },
        ["admin", .. arguments]);

    private Task<bool> IsAdminAsync(int id) =>
        App.WithDbAsync(db => db.UserRoles.AnyAsync(ur => ur.UserId == id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == "admin")));

    [Fact]
    public async Task Grant_and_revoke_change_the_role_and_are_audited_as_cli()
    {
        var id = await fixture.RegisterAsync("operator");

        var granted = await RunAsync("grant", "OPERATOR");

        granted.ExitCode.ShouldBe(0, granted.ToString());
        granted.StandardOutput.ShouldContain("operator holds the admin role.", Case.Sensitive, granted.ToString());
        (await IsAdminAsync(id)).ShouldBeTrue();
        var grantEvent = (await fixture.EventsAsync(id, "roles.changed")).ShouldHaveSingleItem();
        grantEvent.Actor.ShouldBe("cli");
        grantEvent.ActorId.ShouldBeNull();
        grantEvent.Ip.ShouldBeNull();
        grantEvent.Detail.ShouldBe("roles: [user] -> [admin, user]");

        var revoked = await RunAsync("revoke", "operator");

        revoked.ExitCode.ShouldBe(0, revoked.ToString());
        (await IsAdminAsync(id)).ShouldBeFalse();
        (await fixture.EventsAsync(id, "roles.changed")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Revoking_the_last_admin_is_refused()
    {
        var rootId = await fixture.IdOfAsync(AdminFixture<AdminCommandTests>.RootName);

        var result = await RunAsync("revoke", AdminFixture<AdminCommandTests>.RootName);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldContain("admin revoke: refused: This is the last admin who is not locked", Case.Sensitive, result.ToString());
        (await IsAdminAsync(rootId)).ShouldBeTrue();
    }

    [Fact]
    public async Task Unlock_lets_a_locked_out_user_sign_in_again()
    {
        var id = await fixture.RegisterAsync("locked-out");
        await App.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.LockoutEnd, DateTimeOffset.UtcNow.AddDays(1)).SetProperty(x => x.AccessFailedCount, 4)));

        var result = await RunAsync("unlock", "locked-out");

        result.ExitCode.ShouldBe(0, result.ToString());
        await App.SignInAsync("locked-out", AdminFixture<AdminCommandTests>.Password);
        (await fixture.EventsAsync(id, "account.unlocked")).ShouldHaveSingleItem().Actor.ShouldBe("cli");
    }

    [Theory]
    [InlineData("admin: there is no account named 'ghost'.", "unlock", "ghost")]
    [InlineData("admin: Required command was not provided.")]
    [InlineData("admin: Unrecognized command or argument 'promote'.", "promote", "x")]
    [InlineData("admin grant: Required argument 'USERNAME' missing for command: 'grant'.", "grant")]
    public async Task Bad_arguments_or_an_unknown_user_exit_1_saying_why(string message, params string[] arguments)
    {
        var result = await RunAsync(arguments);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldContain(message, Case.Sensitive, result.ToString());
    }
}
