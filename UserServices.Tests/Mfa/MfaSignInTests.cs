using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>
/// Signing in to an account with two-factor sign-in on: Auth0's two steps, the one-step <c>otp</c>/<c>totp</c> field,
/// recovery codes, replay, the window, the <c>mfa_token</c>'s life, <c>amr</c>. Codes computed by <see cref="TestTotp"/>.
/// </summary>
public sealed class MfaSignInTests : IClassFixture<MfaSignInTests.Fixture>
{
    private const string WrongOtp = "The one-time code is wrong, expired or already used. (The password was not checked again.)";
    private const string WrongRecoveryCode = "The recovery code is wrong or already used.";
    private const string DeadToken = "The mfa_token is unknown, expired, already used, or has had too many wrong codes; sign in with the password again.";
    private const string MfaRequired = "The password is correct; this account also needs a one-time code. Send it with the mfa_token.";

    private readonly Fixture _fixture;

    public MfaSignInTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Clock.Reset();
    }

    public sealed class Fixture(PostgresServer server) : MfaFixture<MfaSignInTests>(server);

    private UserServicesApp App => _fixture.App;

    [Fact]
    public async Task The_password_alone_answers_403_mfa_required_with_an_mfa_token_not_stored()
    {
        await _fixture.EnrolAsync("two-step");

        var response = await _fixture.PasswordGrantAsync("two-step");

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, detail: MfaRequired, error: "mfa_required");
        body.Str("mfa_token").Length.ShouldBe(43);
        response.Headers.CacheControl?.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task The_second_step_with_the_current_code_gives_tokens_with_amr_pwd_otp_mfa()
    {
        var account = await _fixture.EnrolAsync("second-step");
        var mfaToken = await _fixture.MfaTokenAsync("second-step");

        var response = await _fixture.OtpGrantAsync(mfaToken, _fixture.NextCode(account));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl?.NoStore.ShouldBeTrue();
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token"], ignoreOrder: true);
        Amr(body.Str("access_token")).ShouldBe(["pwd", "otp", "mfa"]);
    }

    [Fact]
    public async Task Refresh_keeps_the_sessions_amr_and_the_session_list_shows_it()
    {
        var account = await _fixture.EnrolAsync("refresher");
        var signIn = await (await _fixture.OtpGrantAsync(await _fixture.MfaTokenAsync("refresher"), _fixture.NextCode(account))).ReadJsonAsync();

        var refreshed = await (await App.RefreshAsync(signIn.Str("refresh_token"))).ReadJsonAsync();

        Amr(refreshed.Str("access_token")).ShouldBe(["pwd", "otp", "mfa"]);
        using var client = App.BearerClient(refreshed.Str("access_token"));
        var sessions = (await (await client.GetAsync("/user/sessions")).ReadJsonAsync()).GetProperty("sessions").EnumerateArray().ToList();
        // Enabling ended the enrolling session's siblings but kept it: it shows its password-only sign-in.
        sessions.Select(s => string.Join(' ', s.GetProperty("amr").EnumerateArray().Select(a => a.GetString())))
            .ShouldBe(["pwd otp mfa", "pwd"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_password_alone_of_an_account_without_mfa_has_amr_pwd()
    {
        var signIn = await App.RegisterAndSignInAsync("single-factor", MfaFixture<MfaSignInTests>.Password);

        Amr(signIn.AccessToken).ShouldBe(["pwd"]);
    }

    [Fact]
    public async Task A_code_accepted_once_is_refused_the_second_time()
    {
        var account = await _fixture.EnrolAsync("replayed");
        var code = _fixture.NextCode(account);
        (await _fixture.OtpGrantAsync(await _fixture.MfaTokenAsync("replayed"), code)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await _fixture.OtpGrantAsync(await _fixture.MfaTokenAsync("replayed"), code);

        await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: WrongOtp, error: "invalid_grant");
        (await _fixture.PasswordGrantAsync("replayed", ("otp", code))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_confirming_code_cannot_sign_in()
    {
        var account = await _fixture.EnrolAsync("confirmer");

        var response = await _fixture.PasswordGrantAsync("confirmer", ("otp", TestTotp.CodeAt(account.Secret, _fixture.Clock.Now)));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: WrongOtp, error: "invalid_grant");
    }

    [Theory]
    [InlineData("otp")]
    [InlineData("totp")]
    public async Task One_step_the_password_grant_with_the_code_gives_tokens(string field)
    {
        var account = await _fixture.EnrolAsync($"one-step-{field}");

        var response = await _fixture.PasswordGrantAsync(account.UserName, (field, _fixture.NextCode(account)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Amr((await response.ReadJsonAsync()).Str("access_token")).ShouldBe(["pwd", "otp", "mfa"]);
    }

    [Fact]
    public async Task One_step_a_wrong_code_is_400_invalid_grant_naming_the_code()
    {
        await _fixture.EnrolAsync("one-step-wrong");

        var response = await _fixture.PasswordGrantAsync("one-step-wrong", ("otp", "000000"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: WrongOtp, error: "invalid_grant");
    }

    [Fact]
    public async Task A_wrong_password_answers_as_today_whether_or_not_a_code_came()
    {
        var account = await _fixture.EnrolAsync("pw-first");

        var withCode = await App.PostTokenAsync(("username", "pw-first"), ("password", "wrong password!"), ("otp", _fixture.NextCode(account)));
        var without = await App.PostTokenAsync(("username", "pw-first"), ("password", "wrong password!"));

        await withCode.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
        await without.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
    }

    [Theory]
    [InlineData(-1, HttpStatusCode.OK)]
    [InlineData(1, HttpStatusCode.OK)]
    [InlineData(-2, HttpStatusCode.BadRequest)]
    [InlineData(2, HttpStatusCode.BadRequest)]
    public async Task One_step_either_side_is_accepted_two_are_not(int offset, HttpStatusCode expected)
    {
        var account = await _fixture.EnrolAsync($"window{offset}");
        // Far enough from the confirming step that the step before is still a later one.
        _fixture.Clock.Advance(TimeSpan.FromSeconds(90));

        var response = await _fixture.PasswordGrantAsync(account.UserName, ("otp", TestTotp.CodeAt(account.Secret, _fixture.Clock.Now, offset)));

        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_simultaneous_uses_of_one_code_give_exactly_one_200()
    {
        var account = await _fixture.EnrolAsync("racer");
        var tokens = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => _fixture.MfaTokenAsync("racer")));
        var code = _fixture.NextCode(account);

        var answers = await Task.WhenAll(tokens.Select(token => _fixture.OtpGrantAsync(token, code)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(1);
    }

    [Fact]
    public async Task One_mfa_token_used_twice_at_once_signs_in_once()
    {
        var account = await _fixture.EnrolAsync("token-racer");
        var token = await _fixture.MfaTokenAsync("token-racer");
        var first = _fixture.NextCode(account);
        var second = TestTotp.CodeAt(account.Secret, _fixture.Clock.Now, 1);

        var answers = await Task.WhenAll(_fixture.OtpGrantAsync(token, first), _fixture.OtpGrantAsync(token, second));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        var refused = answers.Single(a => a.StatusCode != HttpStatusCode.OK);
        await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
    }

    [Fact]
    public async Task The_mfa_token_works_once()
    {
        var account = await _fixture.EnrolAsync("once");
        var token = await _fixture.MfaTokenAsync("once");
        (await _fixture.OtpGrantAsync(token, _fixture.NextCode(account))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account));

        await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: DeadToken, error: "invalid_grant");
    }

    [Fact]
    public async Task The_mfa_token_dies_after_five_wrong_codes()
    {
        var account = await _fixture.EnrolAsync("five-wrong");
        var token = await _fixture.MfaTokenAsync("five-wrong");
        for (var i = 0; i < 5; i++)
        {
            await (await _fixture.OtpGrantAsync(token, "000000")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: WrongOtp, error: "invalid_grant");
        }

        var right = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account));

        await right.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: DeadToken, error: "invalid_grant");
    }

    [Fact]
    public async Task The_mfa_token_lives_five_minutes()
    {
        var account = await _fixture.EnrolAsync("slowpoke");
        var late = await _fixture.MfaTokenAsync("slowpoke");
        var onTime = await _fixture.MfaTokenAsync("slowpoke");
        _fixture.Clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50));
        (await _fixture.OtpGrantAsync(onTime, TestTotp.CodeAt(account.Secret, _fixture.Clock.Now))).StatusCode.ShouldBe(HttpStatusCode.OK);

        _fixture.Clock.Advance(TimeSpan.FromSeconds(11));
        var response = await _fixture.OtpGrantAsync(late, TestTotp.CodeAt(account.Secret, _fixture.Clock.Now, 1));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: DeadToken, error: "invalid_grant");
    }

    [Fact]
    public async Task An_unknown_mfa_token_is_400_invalid_grant_and_a_missing_otp_400_invalid_request()
    {
        await (await _fixture.OtpGrantAsync("not-a-token", "123456")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: DeadToken, error: "invalid_grant");
        await (await App.PostTokenAsync(("grant_type", MfaFixture<MfaSignInTests>.OtpGrant), ("mfa_token", "x")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The 'otp' field is required.", error: "invalid_request");
    }

    [Fact]
    public async Task Another_client_presenting_the_mfa_token_is_400_invalid_grant()
    {
        var account = await _fixture.EnrolAsync("bound");
        var token = await _fixture.MfaTokenAsync("bound", ("client_id", "web"));

        var response = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account), ("client_id", "mobile"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The mfa_token was issued to another client.", error: "invalid_grant");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_with_amr_pwd_mfa_and_says_how_many_are_left()
    {
        var account = await _fixture.EnrolAsync("recovering");

        var response = await _fixture.RecoveryGrantAsync(await _fixture.MfaTokenAsync("recovering"), account.RecoveryCodes[3].ToLowerInvariant());

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        body.GetProperty("recovery_codes_left").GetInt32().ShouldBe(9);
        Amr(body.Str("access_token")).ShouldBe(["pwd", "mfa"]);
        var again = await _fixture.RecoveryGrantAsync(await _fixture.MfaTokenAsync("recovering"), account.RecoveryCodes[3]);
        await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: WrongRecoveryCode, error: "invalid_grant");
        (await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserId == account.Id && e.Action == "mfa.recovery_code_used"))).ShouldBe(1);
    }

    [Fact]
    public async Task Recovery_codes_are_ten_distinct_codes_of_80_bits()
    {
        var account = await _fixture.EnrolAsync("codes");

        account.RecoveryCodes.Length.ShouldBe(10);
        account.RecoveryCodes.Distinct().Count().ShouldBe(10);
        account.RecoveryCodes.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$"));
    }

    [Fact]
    public async Task A_correct_password_alone_does_not_reset_the_failure_count_and_a_completed_sign_in_does()
    {
        var account = await _fixture.EnrolAsync("counted");
        (await App.PostTokenAsync(("username", "counted"), ("password", "wrong password!"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await _fixture.MfaTokenAsync("counted");

        (await FailedCountAsync(account.Id)).ShouldBe(1);
        (await _fixture.PasswordGrantAsync("counted", ("otp", _fixture.NextCode(account)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await FailedCountAsync(account.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Wrong_codes_are_audited_as_login_mfa_failed()
    {
        var account = await _fixture.EnrolAsync("audited");

        await _fixture.OtpGrantAsync(await _fixture.MfaTokenAsync("audited"), "999999");

        (await App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == account.Id && e.Action == "login.mfa_failed").Select(e => e.Detail).ToListAsync()))
            .ShouldBe(["wrong one-time code"]);
    }

    private Task<int> FailedCountAsync(int id) => App.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.AccessFailedCount).SingleAsync());

    private static string[] Amr(string accessToken) =>
        [.. JwtParts.Payload(accessToken).GetProperty("amr").EnumerateArray().Select(a => a.GetString()!)];
}
