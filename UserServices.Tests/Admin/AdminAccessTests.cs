using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>Who may call /admin: a valid token of an account that holds the admin role in the database now.</summary>
public sealed class AdminAccessTests(AdminAccessTests.Fixture fixture) : IClassFixture<AdminAccessTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : AdminFixture<AdminAccessTests>(server);

    private UserServicesApp App => fixture.App;

    public static TheoryData<string> Paths => ["/admin/users", "/admin/users/1", "/admin/audit"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Without_a_token_admin_endpoints_are_401_invalid_token(string path)
    {
        var response = await App.CreateClient().GetAsync(path);

        await response.ShouldBeInvalidTokenAsync();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_member_gets_403_problem_details(string path)
    {
        var member = await App.SignedInClientAsync("member" + path.Replace('/', '-'));

        var response = await member.GetAsync(path);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, title: "Forbidden",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            detail: "This endpoint is for accounts holding the 'admin' role.");
    }

    [Fact]
    public async Task An_admin_demoted_in_the_database_is_refused_with_the_same_token_at_once()
    {
        var id = await fixture.RegisterAsync("deputy");
        await fixture.MakeAdminAsync(id);
        var deputy = await fixture.ClientOfAsync("deputy");
        (await deputy.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Only the role row goes: the token, its role claim and the security stamp stay exactly as they were.
        await App.WithDbAsync(db => db.UserRoles.Where(ur => ur.UserId == id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == "admin")).ExecuteDeleteAsync());

        await (await deputy.GetAsync("/admin/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_member_given_the_role_in_the_database_is_let_in_with_the_token_it_had()
    {
        var id = await fixture.RegisterAsync("promoted");
        var promoted = await fixture.ClientOfAsync("promoted");
        (await promoted.GetAsync("/admin/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await fixture.MakeAdminAsync(id);

        (await promoted.GetAsync("/admin/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_locked_admin_is_401_at_once()
    {
        var id = await fixture.RegisterAsync("locked-admin");
        await fixture.MakeAdminAsync(id);
        var locked = await fixture.ClientOfAsync("locked-admin");
        var root = await fixture.ClientOfAsync();

        (await fixture.LockAsync(root, id, reason: "compromised")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await locked.GetAsync("/admin/users")).ShouldBeInvalidTokenAsync();
    }

    [Fact]
    public async Task The_api_reference_lists_every_admin_operation_under_the_Admin_tag_with_its_schemas()
    {
        var document = await (await App.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/admin", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Name: $"{o.Name.ToUpperInvariant()} {p.Name}", Operation: o.Value)))
            .ToList();
        operations.Select(o => o.Name).Order(StringComparer.Ordinal).ShouldBe([
            "DELETE /admin/users/{id}", "DELETE /admin/users/{id}/mfa", "DELETE /admin/users/{id}/passkeys/{passkeyId}", "DELETE /admin/users/{id}/sessions/{sid}", "GET /admin/audit",
            "GET /admin/users", "GET /admin/users/email-collisions", "GET /admin/users/{id}", "GET /admin/users/{id}/passkeys",
            "GET /admin/users/{id}/sessions", "PATCH /admin/users/{id}",
            "POST /admin/users/{id}/lock", "POST /admin/users/{id}/logout", "POST /admin/users/{id}/unlock", "PUT /admin/users/{id}/password"]);
        operations.ShouldAllBe(o => o.Operation.GetProperty("tags")[0].GetString() == "Admin");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "AdminUser", "AdminUserPage", "AuditEntry", "AuditPage", "EmailCollision", "LockRequest", "PasskeyList", "PasskeyView", "SessionList", "SessionView", "SetPasswordRequest", "UpdateUserRequest" })
        {
            schemas.TryGetProperty(schema, out _).ShouldBeTrue(schema);
        }

        schemas.GetProperty("AdminUser").GetProperty("properties").PropertyNames().ShouldContain("locked_until");
    }
}
