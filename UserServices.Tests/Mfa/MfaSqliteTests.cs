using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>The whole two-factor flow on the embedded SQLite database (the default without DATABASE_URL): the same statements decide.</summary>
public sealed class MfaSqliteTests : IAsyncLifetime
{
    private const string Password = MfaFixture<MfaSqliteTests>.Password;
    private readonly string _directory = Directory.CreateTempSubdirectory("userservices-sqlite-mfa-").FullName;
    private readonly SettableClock _clock = new();
    private UserServicesApp? _app;

    private UserServicesApp App => _app!;

    public ValueTask InitializeAsync()
    {
        _clock.Reset();
        _app = UserServicesApp.Start(
            new Dictionary<string, string?>
            {
                ["SECRET_KEY"] = UserServicesApp.SecretKey,
                ["BCRYPT_WORK_FACTOR"] = "4",
                ["Database:SqlitePath"] = Path.Combine(_directory, "users.db"),
            },
            testServices: services => services.AddSingleton<TimeProvider>(_clock));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Enrol_sign_in_in_two_steps_and_one_refuse_a_replay_spend_a_recovery_code_and_turn_it_off_on_sqlite()
    {
        var signIn = await App.RegisterAndSignInAsync("lite", Password);
        using var client = App.BearerClient(signIn.AccessToken);
        var (secret, recoveryCodes) = await TwoFactor.EnrolAsync(client, Password, _clock.Now);
        var recovery = recoveryCodes[0];

        var mfaToken = (await (await App.PostTokenAsync(("username", "lite"), ("password", Password))).ReadJsonAsync()).Str("mfa_token");
        _clock.Advance(TimeSpan.FromSeconds(30));
        var code = TestTotp.CodeAt(secret, _clock.Now);
        var answers = await Task.WhenAll(
            App.PostTokenAsync(("grant_type", MfaFixture<MfaSqliteTests>.OtpGrant), ("mfa_token", mfaToken), ("otp", code)),
            App.PostTokenAsync(("username", "lite"), ("password", Password), ("otp", code)));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(1);

        var second = (await (await App.PostTokenAsync(("username", "lite"), ("password", Password))).ReadJsonAsync()).Str("mfa_token");
        var withRecovery = await App.PostTokenAsync(("grant_type", MfaFixture<MfaSqliteTests>.RecoveryGrant), ("mfa_token", second), ("recovery_code", recovery));
        withRecovery.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withRecovery.ReadJsonAsync()).GetProperty("recovery_codes_left").GetInt32().ShouldBe(9);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var off = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/mfa/totp")
        {
            Content = JsonContent.Create(new { password = Password, code = TestTotp.CodeAt(secret, _clock.Now) }),
        });
        off.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await App.PostTokenAsync(("username", "lite"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
