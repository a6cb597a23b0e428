using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>Two instances of the service on one database: an mfa_token works on either, and one code signs in once across both.</summary>
public sealed class MfaReplicaTests : IClassFixture<MfaReplicaTests.Fixture>
{
    private readonly Fixture _fixture;

    public MfaReplicaTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Clock.Reset();
    }

    public sealed class Fixture(PostgresServer server) : MfaFixture<MfaReplicaTests>(server)
    {
        private UserServicesApp? _second;

        public UserServicesApp Second => _second!;

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var settings = UserServicesApp.Defaults(DatabaseUrl);
            Configure(settings);
            _second = UserServicesApp.Start(settings, testServices: services => services.AddSingleton<TimeProvider>(Clock));
        }

        public override async ValueTask DisposeAsync()
        {
            if (_second is not null)
            {
                await _second.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_mfa_token_from_one_instance_completes_on_the_other()
    {
        var account = await _fixture.EnrolAsync("roaming");
        var token = await _fixture.MfaTokenAsync("roaming");

        var response = await _fixture.Second.PostTokenAsync(("grant_type", MfaFixture<MfaReplicaTests>.OtpGrant), ("mfa_token", token), ("otp", _fixture.NextCode(account)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task One_code_used_on_both_instances_at_once_signs_in_exactly_once()
    {
        var account = await _fixture.EnrolAsync("split");
        var code = _fixture.NextCode(account);
        (string, string)[] Form() => [("username", "split"), ("password", MfaFixture<MfaReplicaTests>.Password), ("otp", code)];

        for (var round = 0; round < 3; round++)
        {
            var answers = await Task.WhenAll(_fixture.App.PostTokenAsync(Form()), _fixture.Second.PostTokenAsync(Form()));

            answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(round == 0 ? 1 : 0);
            answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(round == 0 ? 1 : 2);
        }
    }

    [Fact]
    public async Task One_recovery_code_used_on_both_instances_at_once_signs_in_exactly_once()
    {
        var account = await _fixture.EnrolAsync("spare");
        var code = account.RecoveryCodes[0];
        // Two sign-ins of the same account, each with its own mfa_token, race for one recovery code.
        var first = await _fixture.MfaTokenAsync("spare");
        var second = await _fixture.MfaTokenAsync("spare");

        var answers = await Task.WhenAll(
            _fixture.App.PostTokenAsync(("grant_type", MfaFixture<MfaReplicaTests>.RecoveryGrant), ("mfa_token", first), ("recovery_code", code)),
            _fixture.Second.PostTokenAsync(("grant_type", MfaFixture<MfaReplicaTests>.RecoveryGrant), ("mfa_token", second), ("recovery_code", code)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        var refused = answers.Single(a => a.StatusCode != HttpStatusCode.OK);
        await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        (await _fixture.App.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == account.Id))).ShouldBe(9);
    }
}
