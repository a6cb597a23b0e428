using System.Net;
using UserServices.Api.Passkeys;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passkeys;

/// <summary>
/// Passkeys stay off until the service knows its relying-party id, and say so; <c>PUBLIC_BASE_URL</c> is enough to turn
/// them on; a relying-party id or origin no browser would present stops the start. And the grant's plain refusals.
/// </summary>
public sealed class PasskeySettingsTests(PostgresServer server)
{
    private const string Grant = "urn:userservices:params:oauth:grant-type:passkey";
    private const string MfaOtp = "http://auth0.com/oauth/grant-type/mfa-otp";
    private const string MfaRecoveryCode = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

    [Fact]
    public async Task Without_a_relying_party_id_passkeys_are_off_and_every_answer_says_how_to_turn_them_on()
    {
        await using var app = UserServicesApp.Start(UserServicesApp.Defaults(await server.CreateDatabaseAsync("passkeys_off")));
        var client = app.CreateClient();

        await (await client.PostAsync("/user/passkeys/login/options", null))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: PasskeySetup.DisabledDetail);
        using var signedIn = await app.SignedInClientAsync("lena");
        await (await signedIn.PostAsync("/user/passkeys/options", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: PasskeySetup.DisabledDetail);
        await (await signedIn.GetAsync("/user/passkeys")).ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: PasskeySetup.DisabledDetail);
        await (await app.PostTokenAsync(("grant_type", Grant), ("ceremony_id", "x"), ("credential", "{}")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySetup.DisabledDetail, error: "unsupported_grant_type");
        var discovery = await (await client.GetAsync("/.well-known/openid-configuration")).ReadJsonAsync();
        discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ShouldBe(["password", "refresh_token", MfaOtp, MfaRecoveryCode]);
        app.Logs.ShouldContain(line => line.Contains("Passkeys off: set Passkeys:ServerDomain (PASSKEYS__SERVERDOMAIN) or PUBLIC_BASE_URL to turn them on."));
    }

    [Fact]
    public async Task The_public_base_url_names_the_relying_party_and_discovery_lists_the_grant()
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync("passkeys_public_base"));
        settings["PUBLIC_BASE_URL"] = "https://auth.example.com";
        await using var app = UserServicesApp.Start(settings);
        var client = app.CreateClient();

        var begun = await client.PostAsync("/user/passkeys/login/options", null);
        begun.StatusCode.ShouldBe(HttpStatusCode.OK);
        begun.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await begun.ReadJsonAsync();
        body.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["ceremony_id", "options"]);
        body.Str("ceremony_id").Length.ShouldBe(43);
        var options = body.GetProperty("options");
        options.Str("rpId").ShouldBe("auth.example.com");
        options.GetProperty("allowCredentials").GetArrayLength().ShouldBe(0);
        options.Str("userVerification").ShouldBe("preferred");
        options.GetProperty("timeout").GetInt32().ShouldBe(300_000);
        var discovery = await (await client.GetAsync("/.well-known/openid-configuration")).ReadJsonAsync();
        discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ShouldBe(["password", "refresh_token", MfaOtp, MfaRecoveryCode, Grant]);
        app.Logs.ShouldContain(line => line.Contains("Passkeys on: relying party auth.example.com, origins https://auth.example.com."));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("http://auth.example.com")]
    public async Task A_public_base_url_no_browser_would_run_passkeys_on_leaves_them_off_and_the_service_up(string publicBaseUrl)
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync("passkeys_ip_base_" + publicBaseUrl.Length));
        settings["PUBLIC_BASE_URL"] = publicBaseUrl;
        await using var app = UserServicesApp.Start(settings);

        await (await app.CreateClient().PostAsync("/user/passkeys/login/options", null))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: PasskeySetup.DisabledDetail);
    }

    [Fact]
    public async Task The_grant_refuses_missing_fields_and_unknown_ceremonies_without_touching_anything()
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync("passkeys_grant_fields"));
        settings["Passkeys:ServerDomain"] = "localhost";
        await using var app = UserServicesApp.Start(settings);

        await (await app.PostTokenAsync(("grant_type", Grant), ("credential", "{}")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The 'ceremony_id' field is required.", error: "invalid_request");
        await (await app.PostTokenAsync(("grant_type", Grant), ("ceremony_id", "abc")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: "The 'credential' field is required.", error: "invalid_request");
        await (await app.PostTokenAsync(("grant_type", Grant), ("ceremony_id", "unknown"), ("credential", "{\"id\":\"x\"}")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        // A real ceremony and a credential that is not one: refused as invalid_grant, never a 500.
        var begun = await (await app.CreateClient().PostAsync("/user/passkeys/login/options", null)).ReadJsonAsync();
        await (await app.PostTokenAsync(("grant_type", Grant), ("ceremony_id", begun.Str("ceremony_id")), ("credential", "not json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
    }

    [Fact]
    public async Task A_relying_party_id_or_origin_no_browser_would_present_stops_the_start()
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync("passkeys_bad_settings"),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["Passkeys__ServerDomain"] = "https://example.com",
            ["Passkeys__Origins__0"] = "http://app.example.com",
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("Configuration error: Passkeys:ServerDomain 'https://example.com' must be a domain name such as example.com (no scheme, port or path; not an IP address).", result.ToString());
        lines.ShouldContain(line => line.StartsWith("Configuration error: Passkeys:Origins entry 'http://app.example.com' must be https://", StringComparison.Ordinal), result.ToString());
    }
}
