using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>With registered clients: the MFA grants are a client's to use like any grant, and an mfa_token is its client's alone.</summary>
public sealed class MfaClientTests : IClassFixture<MfaClientTests.Fixture>
{
    private readonly Fixture _fixture;

    public MfaClientTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Clock.Reset();
    }

    public sealed class Fixture(PostgresServer server) : MfaFixture<MfaClientTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["Clients:0:ClientId"] = "web";
            settings["Clients:1:ClientId"] = "partner";
            settings["Clients:1:AllowedGrants:0"] = "password";
            settings["Clients:1:AllowedGrants:1"] = "http://auth0.com/oauth/grant-type/mfa-otp";
            settings["Clients:2:ClientId"] = "legacy";
            settings["Clients:2:AllowedGrants:0"] = "password";
        }
    }

    [Fact]
    public async Task A_registered_clients_mfa_token_is_refused_to_another_registered_client()
    {
        var account = await _fixture.EnrolAsync("registered", ("client_id", "web"));
        var token = await _fixture.MfaTokenAsync("registered", ("client_id", "web"));

        var other = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account), ("client_id", "partner"));
        var own = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account), ("client_id", "web"));

        await other.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The mfa_token was issued to another client.", error: "invalid_grant");
        own.StatusCode.ShouldBe(HttpStatusCode.OK, await own.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_client_whose_grants_leave_out_the_mfa_grants_may_not_use_them_but_may_send_the_code_with_the_password()
    {
        var account = await _fixture.EnrolAsync("legacy-user", ("client_id", "web"));
        var token = await _fixture.MfaTokenAsync("legacy-user", ("client_id", "legacy"));

        var refused = await _fixture.OtpGrantAsync(token, _fixture.NextCode(account), ("client_id", "legacy"));
        var oneStep = await _fixture.PasswordGrantAsync("legacy-user", ("client_id", "legacy"), ("otp", _fixture.NextCode(account)));

        await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest,
            detail: "This client may not use grant_type 'http://auth0.com/oauth/grant-type/mfa-otp'.", error: "unauthorized_client");
        oneStep.StatusCode.ShouldBe(HttpStatusCode.OK, await oneStep.Content.ReadAsStringAsync());
    }
}
