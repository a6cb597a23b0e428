using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Audit;
using UserServices.Tests.Admin;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>
/// U+0000 anywhere a client can put it: PostgreSQL's text cannot hold one and refuses the whole statement, which an
/// attack run turned into 500s (registration and the passkey grant without signing in, the admin API with). A JSON
/// string or a query parameter holding one is a 400 naming the field, before anything looks it up; an audit event
/// quoting one is kept, with U+FFFD in its place.
/// </summary>
public sealed class NulCharacterTests(NulCharacterTests.Fixture fixture) : IClassFixture<NulCharacterTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : AdminFixture<NulCharacterTests>(server);

    private const string Message = "It contains a NUL character (U+0000), which no field accepts.";
    private UserServicesApp App => fixture.App;

    [Theory]
    [InlineData("email", "nul-email", "a\u0000@example.com", "correct horse battery")]
    [InlineData("username", "nul\u0000name", "nul-name@example.com", "correct horse battery")]
    [InlineData("password", "nul-password", "nul-password@example.com", "correct horse\u0000battery")]
    public async Task A_registration_with_a_nul_in_a_field_is_400_naming_it_and_creates_nobody(string field, string username, string email, string password)
    {
        var before = await App.WithDbAsync(db => db.Users.CountAsync());

        var response = await App.CreateClient().PostAsJsonAsync("/user/register", new { username, email, password });

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Errors(body).ShouldBe([$"{field}: {Message}"]);
        (await App.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(before);
    }

    [Theory]
    [InlineData("/admin/users?search=%00", "search")]
    [InlineData("/admin/users?search=ro%00ot&limit=5", "search")]
    [InlineData("/admin/audit?action=%00", "action")]
    public async Task A_query_parameter_with_a_nul_is_400_naming_it(string url, string field)
    {
        using var admin = await fixture.ClientOfAsync();

        var body = await (await admin.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Errors(body).ShouldBe([$"{field}: {Message}"]);
    }

    [Fact]
    public async Task An_admin_change_with_a_nul_is_400_and_changes_nothing()
    {
        var id = await fixture.RegisterAsync("nul-target");
        using var admin = await fixture.ClientOfAsync();

        var locked = await fixture.LockAsync(admin, id, reason: "a\u0000b");
        Errors(await locked.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ShouldBe(["reason: " + Message]);
        var patched = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { email = "a\u0000@example.com" });
        Errors(await patched.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ShouldBe(["email: " + Message]);

        var user = await App.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == id));
        (user.Email, user.LockoutEnd).ShouldBe(("nul-target@example.com", null));
    }

    [Fact]
    public async Task An_audit_event_quoting_a_nul_is_kept_with_a_replacement_character()
    {
        // A refusal's reason can quote what a client sent (Identity's passkey messages do): the event must not be lost.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteNowAsync("test.nul", null, "nul\u0000user", "refused: \u0000 is not a valid value");
        }

        var stored = await App.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == "test.nul"));
        (stored.UserName, stored.Detail).ShouldBe(("nul\uFFFDuser", "refused: \uFFFD is not a valid value"));
    }

    /// <summary>Every field error of a ProblemDetails body as "field: message".</summary>
    private static string[] Errors(JsonElement body) =>
        [.. body.GetProperty("errors").EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(m => $"{p.Name}: {m.GetString()}"))];
}
