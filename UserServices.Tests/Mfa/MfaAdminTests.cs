using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>
/// <c>Mfa:RequiredForRoles=admin</c> (RFC 9470's <c>insufficient_user_authentication</c> for an admin's one-factor
/// token), the admin view's <c>mfa</c>, and <c>DELETE /admin/users/{id}/mfa</c>.
/// </summary>
public sealed class MfaAdminTests : IClassFixture<MfaAdminTests.Fixture>
{
    private const string Password = MfaFixture<MfaAdminTests>.Password;

    private readonly Fixture _fixture;

    public MfaAdminTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Clock.Reset();
    }

    public sealed class Fixture(PostgresServer server) : MfaFixture<MfaAdminTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["Mfa:RequiredForRoles:0"] = "admin";
        }

        /// <summary>An admin with two-factor sign-in on, signed in with both factors.</summary>
        public async Task<(MfaAccount Account, HttpClient Client)> AdminAsync(string userName)
        {
            var account = await EnrolAsync(userName);
            await App.WithDbAsync(async db =>
            {
                var role = await db.Roles.SingleAsync(r => r.Name == "admin");
                db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<int> { UserId = account.Id, RoleId = role.Id });
                return await db.SaveChangesAsync();
            });
            var signIn = await (await PasswordGrantAsync(userName, ("otp", NextCode(account)))).ReadJsonAsync();
            return (account, App.BearerClient(signIn.Str("access_token")));
        }
    }

    private UserServicesApp App => _fixture.App;

    [Fact]
    public async Task An_admins_token_without_a_second_factor_is_403_insufficient_user_authentication()
    {
        var (account, _) = await _fixture.AdminAsync("one-factor-admin");
        var recovery = await (await _fixture.RecoveryGrantAsync(await _fixture.MfaTokenAsync(account.UserName), account.RecoveryCodes[0])).ReadJsonAsync();
        // The same admin with a token of a password-only sign-in: made by turning MFA off in the database and signing in.
        await App.WithDbAsync(db => db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, false)));
        var passwordOnly = await App.SignInAsync(account.UserName, Password);

        var refused = await App.BearerClient(passwordOnly.AccessToken).GetAsync("/admin/users");

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden,
            detail: "Accounts with this role must sign in with a second factor (Mfa:RequiredForRoles); sign in again with a one-time code or a passkey.",
            error: "insufficient_user_authentication",
            wwwAuthenticate: "Bearer error=\"insufficient_user_authentication\", error_description=\"Accounts with this role must sign in with a second factor (Mfa:RequiredForRoles); sign in again with a one-time code or a passkey.\"");
        // It can still use its own account (and enrol again).
        (await App.BearerClient(passwordOnly.AccessToken).GetAsync("/user/mfa")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A recovery code's sign-in (amr pwd mfa) meets the policy.
        (await App.BearerClient(recovery.Str("access_token")).GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_signed_in_with_a_code_uses_the_admin_api_and_a_member_without_mfa_is_refused_as_not_an_admin()
    {
        var (_, admin) = await _fixture.AdminAsync("two-factor-admin");
        using var member = await App.SignedInClientAsync("plain-member");

        (await admin.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await member.GetAsync("/admin/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, detail: "This endpoint is for accounts holding the 'admin' role.");
    }

    [Fact]
    public async Task An_admin_resets_an_accounts_mfa_its_sessions_end_and_the_view_says_mfa_false()
    {
        var (_, admin) = await _fixture.AdminAsync("resetting-admin");
        var account = await _fixture.EnrolAsync("lost-phone");
        (await (await admin.GetAsync($"/admin/users/{account.Id}")).ReadJsonAsync()).GetProperty("mfa").GetBoolean().ShouldBeTrue();

        var reset = await admin.DeleteAsync($"/admin/users/{account.Id}/mfa");

        reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await admin.GetAsync($"/admin/users/{account.Id}")).ReadJsonAsync()).GetProperty("mfa").GetBoolean().ShouldBeFalse();
        (await App.BearerClient(account.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.PostTokenAsync(("username", "lost-phone"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == account.Id))).ShouldBe(0);
        (await App.WithDbAsync(db => db.TotpAuthenticators.CountAsync(a => a.UserId == account.Id))).ShouldBe(0);
        (await App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == account.Id && e.Action == "mfa.reset").Select(e => e.Detail).ToListAsync()))
            .ShouldBe(["by admin (was on); 1 session(s) ended"]);
        await (await admin.DeleteAsync("/admin/users/999999/mfa")).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: "There is no account with this id.");
    }
}
