using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>A service on a clock the tests set (<see cref="SettableClock"/>), with the helpers the MFA tests share.</summary>
public class MfaFixture<TTestClass>(PostgresServer server) : ServiceFixture<TTestClass>(server)
{
    public const string Password = "correct horse battery";
    public const string OtpGrant = "http://auth0.com/oauth/grant-type/mfa-otp";
    public const string RecoveryGrant = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

    public SettableClock Clock { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        // High enough that the tests of the mfa_token's own five wrong codes are not cut short by the account's lock.
        settings["Lockout:MaxFailedAttempts"] = "20";
    }

    protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) =>
        UserServicesApp.Start(settings, testServices: services => services.AddSingleton<TimeProvider>(Clock));

    /// <summary>Registers <paramref name="userName"/>, enrols an authenticator and confirms it with the current code.</summary>
    public Task<MfaAccount> EnrolAsync(string userName) => EnrolAsync(userName, App);

    /// <summary>As <see cref="EnrolAsync(string)"/>, signing in with <paramref name="signInFields"/> too (a <c>client_id</c>).</summary>
    public async Task<MfaAccount> EnrolAsync(string userName, params (string Key, string Value)[] signInFields) =>
        await EnrolAsync(userName, App, signInFields);

    private async Task<MfaAccount> EnrolAsync(string userName, UserServicesApp app, params (string Key, string Value)[] signInFields)
    {
        (await app.RegisterAsync(userName, $"{userName}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var tokens = await app.PostTokenAsync([("username", userName), ("password", Password), .. signInFields]);
        tokens.StatusCode.ShouldBe(HttpStatusCode.OK, await tokens.Content.ReadAsStringAsync());
        var signIn = new SignIn((await tokens.ReadJsonAsync()).Str("access_token"), "");
        using var client = app.BearerClient(signIn.AccessToken);
        var enrolment = await TwoFactor.EnrolAsync(client, Password, Clock.Now);
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());
        return new MfaAccount(id, userName, enrolment.Secret, enrolment.RecoveryCodes, signIn.AccessToken);
    }

    /// <summary>Moves the clock to the next step and gives its code (the step a code was last accepted for is spent).</summary>
    public string NextCode(MfaAccount account)
    {
        Clock.Advance(TimeSpan.FromSeconds(30));
        return TestTotp.CodeAt(account.Secret, Clock.Now);
    }

    public Task<HttpResponseMessage> PasswordGrantAsync(string userName, params (string Key, string Value)[] more) =>
        App.PostTokenAsync([("grant_type", "password"), ("username", userName), ("password", Password), .. more]);

    /// <summary>The password grant without a code, which must answer 403 <c>mfa_required</c>; its <c>mfa_token</c>.</summary>
    public async Task<string> MfaTokenAsync(string userName, params (string Key, string Value)[] more)
    {
        var response = await PasswordGrantAsync(userName, more);
        var body = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, error: "mfa_required");
        return body.Str("mfa_token");
    }

    public Task<HttpResponseMessage> OtpGrantAsync(string mfaToken, string otp, params (string Key, string Value)[] more) =>
        App.PostTokenAsync([("grant_type", OtpGrant), ("mfa_token", mfaToken), ("otp", otp), .. more]);

    public Task<HttpResponseMessage> RecoveryGrantAsync(string mfaToken, string code) =>
        App.PostTokenAsync(("grant_type", RecoveryGrant), ("mfa_token", mfaToken), ("recovery_code", code));
}
