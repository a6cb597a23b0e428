using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>The enrolment endpoints under <c>/user/mfa</c>: every answer, what is stored, and what changes at sign-in.</summary>
public sealed class MfaEnrolmentTests : IClassFixture<MfaEnrolmentTests.Fixture>
{
    private const string Password = MfaFixture<MfaEnrolmentTests>.Password;
    private const string WrongCode = "The code is wrong, expired or already used.";
    private const string InvalidDetail = "The request has invalid fields; see 'errors'.";

    private readonly Fixture _fixture;

    public MfaEnrolmentTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Clock.Reset();
    }

    public sealed class Fixture(PostgresServer server) : MfaFixture<MfaEnrolmentTests>(server);

    private UserServicesApp App => _fixture.App;

    [Fact]
    public async Task Enrolling_answers_a_base32_secret_and_its_otpauth_uri_and_changes_nothing_at_sign_in_until_confirmed()
    {
        using var client = await App.SignedInClientAsync("pending");

        var response = await client.PostAsJsonAsync("/user/mfa/totp", new { password = Password });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl?.NoStore.ShouldBeTrue();
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["secret", "otpauth_uri"], ignoreOrder: true);
        body.Str("secret").ShouldMatch("^[A-Z2-7]{32}$");
        TestTotp.Base32Decode(body.Str("secret")).Length.ShouldBe(20);
        body.Str("otpauth_uri").ShouldBe($"otpauth://totp/UserServices:pending?secret={body.Str("secret")}&issuer=UserServices&algorithm=SHA1&digits=6&period=30");
        (await App.PostTokenAsync(("username", "pending"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await client.GetAsync("/user/mfa")).ReadJsonAsync()).GetRawText().ShouldBe("""{"totp":false,"recovery_codes_left":0}""");
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted_and_the_recovery_codes_only_as_hashes()
    {
        var account = await _fixture.EnrolAsync("at-rest");

        var stored = await App.WithDbAsync(db => db.TotpAuthenticators.SingleAsync(a => a.UserId == account.Id));
        var hashes = await App.WithDbAsync(db => db.RecoveryCodes.Where(c => c.UserId == account.Id).Select(c => c.CodeHash).ToListAsync());

        stored.EncryptedSecret.ShouldStartWith("v1.");
        stored.EncryptedSecret.ShouldNotContain(TotpBase32(account.Secret));
        Convert.FromBase64String(stored.EncryptedSecret.Split('.')[2]).AsSpan().IndexOf(account.Secret).ShouldBe(-1);
        hashes.Count.ShouldBe(10);
        hashes.ShouldAllBe(h => h.Length == 64);
        hashes.ShouldNotContain(h => account.RecoveryCodes.Any(c => h.Contains(c.Replace("-", ""), StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Enrolling_again_replaces_the_pending_secret()
    {
        using var client = await App.SignedInClientAsync("replacer");
        var first = (await (await client.PostAsJsonAsync("/user/mfa/totp", new { password = Password })).ReadJsonAsync()).Str("secret");
        var second = (await (await client.PostAsJsonAsync("/user/mfa/totp", new { password = Password })).ReadJsonAsync()).Str("secret");

        var withFirst = await client.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = TestTotp.CodeAt(TestTotp.Base32Decode(first), _fixture.Clock.Now) });
        var withSecond = await client.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = TestTotp.CodeAt(TestTotp.Base32Decode(second), _fixture.Clock.Now) });

        second.ShouldNotBe(first);
        await withFirst.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: InvalidDetail);
        withSecond.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_password_is_400_naming_password_and_counts_towards_lockout()
    {
        using var client = await App.SignedInClientAsync("fumbler");

        var response = await client.PostAsJsonAsync("/user/mfa/totp", new { password = "not my password" });

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: InvalidDetail);
        body.GetProperty("errors").GetProperty("password")[0].GetString().ShouldBe("The password is incorrect.");
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "fumbler").Select(u => u.AccessFailedCount).SingleAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task A_wrong_confirming_code_is_400_naming_code()
    {
        using var client = await App.SignedInClientAsync("bad-confirm");
        await client.PostAsJsonAsync("/user/mfa/totp", new { password = Password });

        var response = await client.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = "123456" });

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: InvalidDetail);
        body.GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe(WrongCode);
    }

    [Fact]
    public async Task Confirming_turns_it_on_ends_every_other_session_and_is_audited()
    {
        var other = await App.RegisterAndSignInAsync("ender", Password);
        var enrolling = await App.SignInAsync("ender", Password);
        using var client = App.BearerClient(enrolling.AccessToken);
        var secret = TestTotp.Base32Decode((await (await client.PostAsJsonAsync("/user/mfa/totp", new { password = Password })).ReadJsonAsync()).Str("secret"));

        var confirmed = await client.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = TestTotp.CodeAt(secret, _fixture.Clock.Now) });

        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        confirmed.Headers.CacheControl?.NoStore.ShouldBeTrue();
        (await App.BearerClient(other.AccessToken).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await client.GetAsync("/user/mfa")).ReadJsonAsync()).GetRawText().ShouldBe("""{"totp":true,"recovery_codes_left":10}""");
        (await App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserName == "ender" && e.Action == "mfa.enabled").Select(e => e.Detail).ToListAsync()))
            .ShouldBe(["authenticator app; 1 other session(s) ended"]);
    }

    [Fact]
    public async Task Enrolling_or_confirming_when_already_on_is_409()
    {
        var account = await _fixture.EnrolAsync("already");
        using var client = App.BearerClient(account.AccessToken);

        var begin = await client.PostAsJsonAsync("/user/mfa/totp", new { password = Password });
        var confirm = await client.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = _fixture.NextCode(account) });

        await begin.ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: "Two-factor sign-in is already on; turn it off first to enrol another authenticator.");
        await confirm.ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: "Two-factor sign-in is already on; turn it off first to enrol another authenticator.");
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var account = await _fixture.EnrolAsync("regenerator");
        using var client = App.BearerClient(account.AccessToken);

        var response = await client.PostAsJsonAsync("/user/mfa/recovery-codes", new { code = _fixture.NextCode(account) });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fresh = (await response.ReadJsonAsync()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        fresh.Count.ShouldBe(10);
        fresh.ShouldNotContain(account.RecoveryCodes[0]);
        await (await _fixture.RecoveryGrantAsync(await _fixture.MfaTokenAsync("regenerator"), account.RecoveryCodes[0]))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The recovery code is wrong or already used.", error: "invalid_grant");
        (await _fixture.RecoveryGrantAsync(await _fixture.MfaTokenAsync("regenerator"), fresh[0])).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserId == account.Id && e.Action == "mfa.recovery_codes_regenerated"))).ShouldBe(1);
    }

    [Fact]
    public async Task New_recovery_codes_for_a_wrong_code_is_400_naming_code()
    {
        var account = await _fixture.EnrolAsync("regen-wrong");

        var response = await App.BearerClient(account.AccessToken).PostAsJsonAsync("/user/mfa/recovery-codes", new { code = "111111" });

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: InvalidDetail);
        body.GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe(WrongCode);
        (await App.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == account.Id))).ShouldBe(10);
    }

    [Fact]
    public async Task Turning_it_off_needs_the_password_and_a_code_and_deletes_secret_and_codes()
    {
        var account = await _fixture.EnrolAsync("quitter");
        using var client = App.BearerClient(account.AccessToken);

        var wrongPassword = await Disable(client, "nope nope nope", _fixture.NextCode(account));
        var wrongCode = await Disable(client, Password, "000000");
        var done = await Disable(client, Password, _fixture.NextCode(account));

        (await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: InvalidDetail)).GetProperty("errors").GetProperty("password")[0].GetString()
            .ShouldBe("The password is incorrect.");
        (await wrongCode.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: InvalidDetail)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe(WrongCode);
        done.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == account.Id && (e.Action == "mfa.disabled" || e.Action == "password.check_failed"))
            .OrderBy(e => e.Id).Select(e => e.Action + ": " + e.Detail).ToListAsync())).ShouldBe([
                "password.check_failed: wrong password for turning two-factor sign-in off",
                "password.check_failed: wrong one-time code for turning two-factor sign-in off",
                "mfa.disabled: by the account's owner"]);
        (await App.WithDbAsync(db => db.TotpAuthenticators.CountAsync(a => a.UserId == account.Id))).ShouldBe(0);
        (await App.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == account.Id))).ShouldBe(0);
        (await App.PostTokenAsync(("username", "quitter"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await Disable(client, Password, "123456")).ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: "Two-factor sign-in is not on for this account.");
    }

    private static Task<HttpResponseMessage> Disable(HttpClient client, string password, string code) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/mfa/totp") { Content = JsonContent.Create(new { password, code }) });

    private static string TotpBase32(byte[] secret) => OtpNet.Base32Encoding.ToString(secret);
}
