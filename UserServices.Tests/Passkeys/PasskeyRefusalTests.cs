using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passkeys;

/// <summary>
/// A credential the service cannot accept, sent straight to <c>POST /user/passkeys</c> (no browser makes these): a
/// 400 for the <c>credential</c> field in the API's words, never a .NET type name or a byte position, and the refusal
/// kept in the audit log with Identity's own reason, even when that reason quotes a NUL the client sent.
/// </summary>
public sealed class PasskeyRefusalTests(PasskeyRefusalTests.Fixture fixture) : IClassFixture<PasskeyRefusalTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasskeyRefusalTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["Passkeys:ServerDomain"] = "localhost";
    }

    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task A_credential_in_the_wrong_shape_is_400_in_our_words_and_audited_with_identitys_reason()
    {
        using var bearer = App.BearerClient((await App.RegisterAndSignInAsync("wrong-shape", Password)).AccessToken);
        var (ceremony, _) = await BeginAsync(bearer);

        var response = await bearer.PostAsJsonAsync("/user/passkeys", new
        {
            ceremony_id = ceremony,
            credential = new { id = "AAAA", rawId = "AAAA", type = "public-key", clientExtensionResults = new { }, response = new { clientDataJSON = (string?)null, attestationObject = "AAAA" } },
        });

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var message = body.GetProperty("errors").GetProperty("credential")[0].GetString()!;
        message.ShouldBe("The passkey was not accepted: The credential is not the JSON a browser's PublicKeyCredential gives (its toJSON()).");
        var detail = await RefusalDetailAsync("wrong-shape");
        detail.ShouldContain("had an invalid format");
    }

    [Fact]
    public async Task A_refusal_whose_reason_quotes_a_nul_is_400_and_audited()
    {
        using var bearer = App.BearerClient((await App.RegisterAndSignInAsync("nul-origin", Password)).AccessToken);
        var (ceremony, challenge) = await BeginAsync(bearer);
        // What an attack run sent: Identity's reason names the origin, NUL and all, and the audit insert was a 500.
        var clientData = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($$"""{"type":"webauthn.create","challenge":"{{challenge}}","origin":"http://a\u0000"}"""));

        var response = await bearer.PostAsJsonAsync("/user/passkeys", new
        {
            ceremony_id = ceremony,
            credential = new { id = "AAAA", rawId = "AAAA", type = "public-key", clientExtensionResults = new { }, response = new { clientDataJSON = clientData, attestationObject = "AAAA" } },
        });

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        body.GetProperty("errors").GetProperty("credential")[0].GetString().ShouldStartWith("The passkey was not accepted: ");
        (await RefusalDetailAsync("nul-origin")).ShouldNotContain('\0');
    }

    private static async Task<(string Ceremony, string Challenge)> BeginAsync(HttpClient bearer)
    {
        var begun = await bearer.PostAsync("/user/passkeys/options", null);
        begun.StatusCode.ShouldBe(HttpStatusCode.OK, await begun.Content.ReadAsStringAsync());
        var json = await begun.ReadJsonAsync();
        return (json.Str("ceremony_id"), json.GetProperty("options").Str("challenge"));
    }

    private Task<string> RefusalDetailAsync(string userName) => App.WithDbAsync(db =>
        db.AuditEvents.Where(e => e.UserName == userName && e.Action == "passkey.registration_refused").Select(e => e.Detail!).SingleAsync());
}
