using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>Wrong passwords, wrong codes and wrong recovery codes are one count, locking at exactly Lockout:MaxFailedAttempts.</summary>
public sealed class MfaLockoutTests : IClassFixture<MfaLockoutTests.Fixture>
{
    private readonly Fixture _fixture;

    public MfaLockoutTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Clock.Reset();
    }

    public sealed class Fixture(PostgresServer server) : MfaFixture<MfaLockoutTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["Lockout:MaxFailedAttempts"] = "4";
    }

    [Fact]
    public async Task A_mix_of_wrong_passwords_codes_and_recovery_codes_locks_at_the_fourth_and_then_the_second_step_answers_as_locked()
    {
        var account = await _fixture.EnrolAsync("mixed");
        var token = await _fixture.MfaTokenAsync("mixed");
        (await _fixture.App.PostTokenAsync(("username", "mixed"), ("password", "wrong password!"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _fixture.OtpGrantAsync(token, "000000")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _fixture.PasswordGrantAsync("mixed", ("otp", "000001"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LockedUntilAsync(account.Id)).ShouldBeNull();

        // The fourth locks the account, and is still answered as what it was: a wrong code.
        var fourth = await _fixture.RecoveryGrantAsync(token, "AAAA-BBBB-CCCC-DDDD");
        await fourth.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The recovery code is wrong or already used.", error: "invalid_grant");
        (await LockedUntilAsync(account.Id)).ShouldNotBeNull();

        var right = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account));
        await right.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
        (await _fixture.App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserId == account.Id && e.Action == "account.locked"))).ShouldBe(1);

        // Whatever the mfa_token: an expired one too answers as the locked account.
        _fixture.Clock.Advance(TimeSpan.FromMinutes(6));
        var expired = await _fixture.OtpGrantAsync(token, TestTotp.CodeAt(account.Secret, _fixture.Clock.Now));
        await expired.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
    }

    private Task<DateTimeOffset?> LockedUntilAsync(int id) =>
        _fixture.App.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.LockoutEnd).SingleAsync());
}
