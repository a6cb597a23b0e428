using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>The service is never left without an admin who can sign in, and an admin cannot lock or delete themselves.</summary>
public sealed class AdminSafetyTests(AdminSafetyTests.Fixture fixture) : IClassFixture<AdminSafetyTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : AdminFixture<AdminSafetyTests>(server);

    private const string LastAdmin = "This is the last admin who is not locked; the service would be left without one.";
    private const string Self = "An admin may not lock or delete their own account.";
    private static readonly string[] MemberOnly = ["user"];

    private UserServicesApp App => fixture.App;

    private Task<int> ActiveAdminsAsync() => App.WithDbAsync(async db =>
    {
        var ends = await db.Users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == "admin")))
            .Select(u => u.LockoutEnd).ToListAsync();
        return ends.Count(end => end is null || end <= DateTimeOffset.UtcNow);
    });

    [Fact]
    public async Task An_admin_may_not_lock_or_delete_themselves_and_the_last_admin_may_not_drop_the_role()
    {
        var rootId = await fixture.IdOfAsync(AdminFixture<AdminSafetyTests>.RootName);
        var root = await fixture.ClientOfAsync();
        // Another test of this class may have locked root already (its rival won); only this test's events count.
        var lockedBefore = (await fixture.EventsAsync(rootId, "account.locked")).Count;

        await (await fixture.LockAsync(root, rootId)).ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: Self);
        await (await root.DeleteAsync($"/admin/users/{rootId}")).ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: Self);
        await (await root.PatchAsJsonAsync($"/admin/users/{rootId}", new { roles = MemberOnly }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: LastAdmin);

        (await root.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ActiveAdminsAsync()).ShouldBe(1);
        (await fixture.EventsAsync(rootId, "roles.changed")).ShouldBeEmpty();
        (await fixture.EventsAsync(rootId, "account.locked")).Count.ShouldBe(lockedBefore);
    }

    [Fact]
    public async Task Two_admins_locking_each_other_at_once_leave_one_admin_standing()
    {
        for (var round = 0; round < 3; round++)
        {
            var deputyId = await fixture.RegisterAsync($"rival{round}");
            await fixture.MakeAdminAsync(deputyId);
            var rootId = await fixture.IdOfAsync(AdminFixture<AdminSafetyTests>.RootName);
            var root = await fixture.ClientOfAsync();
            var deputy = await fixture.ClientOfAsync($"rival{round}");

            var answers = await Task.WhenAll(fixture.LockAsync(root, deputyId), fixture.LockAsync(deputy, rootId));

            (await ActiveAdminsAsync()).ShouldBe(1, $"round {round}: {answers[0].StatusCode}, {answers[1].StatusCode}");
            answers.Count(a => a.StatusCode == HttpStatusCode.NoContent).ShouldBe(1);
            answers.Count(a => a.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Unauthorized).ShouldBe(1);

            // Back to root as the only active admin for the next round.
            await App.WithDbAsync(db => db.Users.Where(u => u.Id == rootId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, (DateTimeOffset?)null)));
            await App.WithDbAsync(db => db.Users.Where(u => u.Id == deputyId).ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task With_a_second_admin_one_admin_can_be_demoted_locked_and_deleted()
    {
        var deputyId = await fixture.RegisterAsync("deputy");
        await fixture.MakeAdminAsync(deputyId);
        var root = await fixture.ClientOfAsync();

        (await root.PatchAsJsonAsync($"/admin/users/{deputyId}", new { roles = MemberOnly })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await fixture.MakeAdminAsync(deputyId);
        (await fixture.LockAsync(root, deputyId)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await root.DeleteAsync($"/admin/users/{deputyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await ActiveAdminsAsync()).ShouldBe(1);
    }
}
