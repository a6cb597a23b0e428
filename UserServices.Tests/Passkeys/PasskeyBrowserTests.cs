using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UserServices.Api.Passkeys;
using UserServices.Data.Passkeys;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passkeys;

/// <summary>
/// Passkeys as a single-page app uses them, in Chromium with a virtual authenticator: the page on
/// <c>http://localhost:&lt;port&gt;</c> calls the service on real Kestrel across origins (CORS through
/// <c>Transport:CorsOrigins</c>), the authenticator answers <c>navigator.credentials</c>. The refusals replay what the
/// browser produced, straight to the service.
/// </summary>
public sealed class PasskeyBrowserTests(PasskeyBrowserTests.Fixture service, Chromium chromium)
    : IClassFixture<PasskeyBrowserTests.Fixture>, IClassFixture<Chromium>, IAsyncLifetime
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasskeyBrowserTests>(server)
    {
        /// <summary>The app's page: its origin is the one configured.</summary>
        public PasskeyPage Page { get; } = new();

        /// <summary>A page on another origin of the same host, which the service was not told about.</summary>
        public PasskeyPage Stranger { get; } = new();

        public override async ValueTask InitializeAsync()
        {
            await Page.StartAsync();
            await Stranger.StartAsync();
            await base.InitializeAsync();
        }

        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Passkeys:ServerDomain"] = "localhost";
            settings["Passkeys:Origins:0"] = Page.Origin;
            settings["Passkeys:ServerName"] = "User Services tests";
            settings["Transport:CorsOrigins:0"] = Page.Origin;
            settings["ADMIN_USERNAME"] = "root";
            settings["ADMIN_EMAIL"] = "root@example.com";
            settings["ADMIN_PASSWORD"] = Password;
        }

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) => UserServicesApp.Start(settings, onKestrel: true);

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Page.DisposeAsync();
            await Stranger.DisposeAsync();
        }
    }

    private const string Password = "correct horse battery";
    private const float Deadline = 15_000;

    private IBrowserContext _context = null!;

    private UserServicesApp App => service.App;

    private string Base => App.BaseAddress.ToString();

    public async ValueTask InitializeAsync()
    {
        _context = await chromium.Browser.NewContextAsync();
        _context.SetDefaultTimeout(Deadline);
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_person_adds_a_passkey_and_signs_in_with_it_without_a_username_until_they_delete_it()
    {
        var token = (await App.RegisterAndSignInAsync("ada", Password)).AccessToken;
        var (page, authenticator) = await OpenAsync(service.Page);

        var added = await CallAsync(page, "registerPasskey", Base, token, "Laptop");
        added.GetProperty("status").GetInt32().ShouldBe(201, added.ToString());
        var passkey = added.GetProperty("body");
        passkey.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["created_at", "id", "name"]);
        passkey.Str("name").ShouldBe("Laptop");
        var id = passkey.Str("id");
        var held = await authenticator.CredentialsAsync();
        held.GetArrayLength().ShouldBe(1);
        held[0].GetProperty("isResidentCredential").GetBoolean().ShouldBeTrue();

        var listed = await CallAsync(page, "listPasskeys", Base, token);
        listed.GetProperty("status").GetInt32().ShouldBe(200);
        var only = listed.GetProperty("body").GetProperty("passkeys").EnumerateArray().Single();
        only.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["backed_up", "created_at", "id", "last_used_at", "name"]);
        only.Str("id").ShouldBe(id);
        only.GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.Null);

        var first = await CallAsync(page, "signInWithPasskey", Base);
        first.GetProperty("status").GetInt32().ShouldBe(200, first.ToString());
        var tokens = first.GetProperty("body");
        tokens.Str("token_type").ShouldBe("bearer");
        tokens.Str("refresh_token").ShouldNotBeNullOrEmpty();
        var claims = JwtParts.Payload(tokens.Str("access_token"));
        claims.Str("preferred_username").ShouldBe("ada");
        claims.GetProperty("amr").EnumerateArray().Select(v => v.GetString()).ShouldBe(["hwk", "user", "mfa"]);
        var countAfterFirst = await SignCountAsync(id);

        // The new access token works at the service like any other.
        using (var bearer = Bearer(tokens.Str("access_token")))
        {
            (await bearer.GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var second = await CallAsync(page, "signInWithPasskey", Base);
        second.GetProperty("status").GetInt32().ShouldBe(200, second.ToString());
        var countAfterSecond = await SignCountAsync(id);
        countAfterSecond.ShouldBeGreaterThan(countAfterFirst);
        countAfterSecond.ShouldBe((long)(await authenticator.CredentialsAsync())[0].GetProperty("signCount").GetInt32());
        JwtParts.Payload(second.GetProperty("body").Str("access_token")).Str("sid")
            .ShouldNotBe(claims.Str("sid"), "every sign-in is a session of its own");

        var renamed = await CallAsync(page, "renamePasskey", Base, token, id, "Work laptop");
        renamed.GetProperty("status").GetInt32().ShouldBe(204);
        var relisted = (await CallAsync(page, "listPasskeys", Base, token)).GetProperty("body").GetProperty("passkeys")[0];
        relisted.Str("name").ShouldBe("Work laptop");
        relisted.GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.String);

        var deleted = await CallAsync(page, "deletePasskey", Base, token, id);
        deleted.GetProperty("status").GetInt32().ShouldBe(204);
        (await CallAsync(page, "listPasskeys", Base, token)).GetProperty("body").GetProperty("passkeys").GetArrayLength().ShouldBe(0);

        // The authenticator still holds the key, but the service no longer knows it.
        var refused = await CallAsync(page, "signInWithPasskey", Base);
        refused.GetProperty("status").GetInt32().ShouldBe(400);
        refused.GetProperty("body").Str("error").ShouldBe("invalid_grant");
        refused.GetProperty("body").Str("detail").ShouldBe(PasskeySignIn.RefusedDetail);
        (await AuditActionsAsync("ada")).ShouldBe(
            ["user.registered", "login.succeeded", "passkey.added", "login.passkey", "login.passkey", "passkey.renamed", "passkey.removed"]);
    }

    [Fact]
    public async Task The_same_assertion_is_accepted_once_and_not_again_with_the_same_or_a_new_ceremony()
    {
        var (page, _) = await RegisteredAsync("brian");
        var (ceremony, options) = await LoginOptionsAsync();
        var assertion = await GetCredentialAsync(page, options);

        (await GrantAsync(ceremony, assertion)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await GrantAsync(ceremony, assertion)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        var (fresh, _) = await LoginOptionsAsync();
        await (await GrantAsync(fresh, assertion)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        (await SessionCountAsync("brian")).ShouldBe(2, "the password sign-in and the one passkey sign-in");
    }

    [Fact]
    public async Task Two_completions_of_one_ceremony_at_once_give_exactly_one_session()
    {
        var (page, _) = await RegisteredAsync("carmen");
        var (ceremony, options) = await LoginOptionsAsync();
        var assertion = await GetCredentialAsync(page, options);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GrantAsync(ceremony, assertion)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(3);
        (await SessionCountAsync("carmen")).ShouldBe(2);
    }

    [Fact]
    public async Task A_ceremony_begun_on_one_replica_is_finished_on_another()
    {
        var (page, _) = await RegisteredAsync("bodil");
        await using var other = SecondReplica();
        var (ceremony, options) = await LoginOptionsAsync();
        var assertion = await GetCredentialAsync(page, options);

        var response = await GrantOnAsync(other, ceremony, assertion);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await GrantAsync(ceremony, assertion)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the first replica finds it used");
    }

    [Fact]
    public async Task One_assertion_sent_to_two_replicas_at_once_gives_exactly_one_session()
    {
        var (page, _) = await RegisteredAsync("dagny");
        await using var other = SecondReplica();
        var (ceremony, options) = await LoginOptionsAsync();
        var assertion = await GetCredentialAsync(page, options);

        var answers = await Task.WhenAll(
            GrantAsync(ceremony, assertion),
            GrantOnAsync(other, ceremony, assertion));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        await answers.Single(a => a.StatusCode != HttpStatusCode.OK)
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        (await SessionCountAsync("dagny")).ShouldBe(2, "the password sign-in that added the passkey, and one passkey sign-in");
    }

    [Fact]
    public async Task A_passkey_that_verified_the_person_meets_the_second_factor_required_of_admins_and_the_password_alone_does_not()
    {
        // A second service on the same database that asks admins for a second factor (Mfa:RequiredForRoles, issue 23).
        var settings = UserServicesApp.Defaults(service.DatabaseUrl);
        settings["Passkeys:ServerDomain"] = "localhost";
        settings["Passkeys:Origins:0"] = service.Page.Origin;
        settings["Mfa:RequiredForRoles:0"] = "admin";
        await using var strict = UserServicesApp.Start(settings);
        var password = await App.TokenAsync("root", Password);
        var (page, _) = await OpenAsync(service.Page);
        (await CallAsync(page, "registerPasskey", Base, password, "Admin key")).GetProperty("status").GetInt32().ShouldBe(201);

        var signedIn = await CallAsync(page, "signInWithPasskey", Base);

        signedIn.GetProperty("status").GetInt32().ShouldBe(200, signedIn.ToString());
        var byPasskey = signedIn.GetProperty("body").Str("access_token");
        JwtParts.Payload(byPasskey).GetProperty("amr").EnumerateArray().Select(v => v.GetString()).ShouldBe(["hwk", "user", "mfa"]);
        (await strict.BearerClient(byPasskey).GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await strict.BearerClient(password).GetAsync("/admin/users"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, error: "insufficient_user_authentication");
    }

    [Fact]
    public async Task An_assertion_made_on_an_origin_the_service_does_not_know_is_refused()
    {
        var (page, _) = await RegisteredAsync("dmitri");
        var (ceremony, options) = await LoginOptionsAsync();
        // The same tab, so the same authenticator and key, on another port of localhost: a valid relying party, a foreign origin.
        await page.GotoAsync(service.Stranger.Address.ToString());
        var assertion = await GetCredentialAsync(page, options);
        JsonDocument.Parse(Convert.FromBase64String(Pad(JsonDocument.Parse(assertion).RootElement.GetProperty("response").Str("clientDataJSON"))))
            .RootElement.Str("origin").ShouldBe(service.Stranger.Origin);

        await (await GrantAsync(ceremony, assertion)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        (await SessionCountAsync("dmitri")).ShouldBe(1);
    }

    [Fact]
    public async Task An_assertion_whose_counter_did_not_advance_is_refused()
    {
        var (page, _) = await RegisteredAsync("erin");
        var (older, olderOptions) = await LoginOptionsAsync();
        var earlier = await GetCredentialAsync(page, olderOptions);
        var (newer, newerOptions) = await LoginOptionsAsync();
        var later = await GetCredentialAsync(page, newerOptions);

        (await GrantAsync(newer, later)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Signed by the key, for a live ceremony, but with a counter below the one last seen: a cloned authenticator's mark.
        await (await GrantAsync(older, earlier)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        (await SessionCountAsync("erin")).ShouldBe(2, "the password sign-in and the newer passkey sign-in");
        var refusal = await App.WithDbAsync(db => db.AuditEvents.OrderBy(e => e.Id).LastAsync(e => e.Action == "login.passkey_refused"));
        refusal.Detail!.ShouldContain("signature counter");
    }

    [Fact]
    public async Task A_locked_account_cannot_sign_in_with_its_passkey()
    {
        var (page, _) = await RegisteredAsync("farid");
        await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "farid")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1))));

        var (ceremony, options) = await LoginOptionsAsync();
        await (await GrantAsync(ceremony, await GetCredentialAsync(page, options)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        (await AuditActionsAsync("farid")).Last().ShouldBe("login.locked_out");
    }

    [Fact]
    public async Task A_registration_ceremony_is_used_once_and_only_by_the_account_that_began_it()
    {
        var token = (await App.RegisterAndSignInAsync("greta", Password)).AccessToken;
        var other = (await App.RegisterAndSignInAsync("hugo", Password)).AccessToken;
        var (page, _) = await OpenAsync(service.Page);
        using var greta = Bearer(token);
        var begun = await (await greta.PostAsync("/user/passkeys/options", null)).ReadJsonAsync();
        begun.GetProperty("options").GetProperty("rp").Str("name").ShouldBe("User Services tests");
        begun.GetProperty("options").GetProperty("rp").Str("id").ShouldBe("localhost");
        begun.GetProperty("options").GetProperty("authenticatorSelection").Str("residentKey").ShouldBe("required");
        var credential = JsonDocument.Parse(await CallStringAsync(page, "createCredential", begun.GetProperty("options").GetRawText())).RootElement;
        var body = new { ceremony_id = begun.Str("ceremony_id"), credential, name = "Phone" };

        using var hugo = Bearer(other);
        var stolen = await (await hugo.PostAsJsonAsync("/user/passkeys", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeysController.InvalidDetail);
        stolen.GetProperty("errors").GetProperty("ceremony_id")[0].GetString().ShouldBe(PasskeyRegistration.CeremonyRefused);

        (await greta.PostAsJsonAsync("/user/passkeys", body)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var again = await (await greta.PostAsJsonAsync("/user/passkeys", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeysController.InvalidDetail);
        again.GetProperty("errors").GetProperty("ceremony_id")[0].GetString().ShouldBe(PasskeyRegistration.CeremonyRefused);

        // A new ceremony excludes the passkey the account has, and the same credential cannot be registered twice.
        var next = await (await greta.PostAsync("/user/passkeys/options", null)).ReadJsonAsync();
        next.GetProperty("options").GetProperty("excludeCredentials").EnumerateArray().Select(c => c.Str("id")).ShouldBe([credential.Str("id")]);
        var twice = await (await greta.PostAsJsonAsync("/user/passkeys", body with { ceremony_id = next.Str("ceremony_id") }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeysController.InvalidDetail);
        twice.GetProperty("errors").TryGetProperty("credential", out _).ShouldBeTrue(twice.ToString());
        (await App.WithDbAsync(db => db.UserPasskeys.CountAsync())).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_registration_made_on_an_origin_the_service_does_not_know_is_refused()
    {
        var token = (await App.RegisterAndSignInAsync("ines", Password)).AccessToken;
        var (page, _) = await OpenAsync(service.Stranger);
        using var ines = Bearer(token);
        var begun = await (await ines.PostAsync("/user/passkeys/options", null)).ReadJsonAsync();
        var credential = JsonDocument.Parse(await CallStringAsync(page, "createCredential", begun.GetProperty("options").GetRawText())).RootElement;

        var refused = await (await ines.PostAsJsonAsync("/user/passkeys", new { ceremony_id = begun.Str("ceremony_id"), credential }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeysController.InvalidDetail);
        refused.GetProperty("errors").GetProperty("credential")[0].GetString()!.ShouldStartWith("The passkey was not accepted:");
        (await App.WithDbAsync(db => db.UserPasskeys.CountAsync(p => db.Users.Any(u => u.Id == p.UserId && u.UserName == "ines")))).ShouldBe(0);
    }

    [Fact]
    public async Task An_admin_lists_and_removes_a_members_passkey_and_it_signs_in_no_more()
    {
        var (page, _) = await RegisteredAsync("jonas");
        var admin = Bearer(await App.TokenAsync("root", Password));
        var id = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "jonas").Select(u => u.Id).SingleAsync());

        var list = await (await admin.GetAsync($"/admin/users/{id}/passkeys")).ReadJsonAsync();
        var passkey = list.GetProperty("passkeys").EnumerateArray().Single();
        (await admin.DeleteAsync($"/admin/users/{id}/passkeys/{passkey.Str("id")}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/admin/users/{id}/passkeys/{passkey.Str("id")}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: Api.Admin.AdminPasskeysController.PasskeyNotFoundDetail);

        var refused = await CallAsync(page, "signInWithPasskey", Base);
        refused.GetProperty("status").GetInt32().ShouldBe(400);
        (await AuditActionsAsync("jonas")).ShouldContain("passkey.removed");
    }

    [Fact]
    public async Task Adding_a_passkey_needs_a_sign_in_from_the_last_ten_minutes()
    {
        var fresh = (await App.RegisterAndSignInAsync("karl", Password)).AccessToken;
        var claims = AccessTokens.ClaimsOf(fresh, "sub", "sid", "sst", "client_id", "preferred_username", "email");
        claims["auth_time"] = DateTimeOffset.UtcNow.AddMinutes(-11).ToUnixTimeSeconds();
        using var stale = Bearer(AccessTokens.Mint(claims));

        await (await stale.PostAsync("/user/passkeys/options", null))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, detail: PasskeyRegistration.SignInAgainDetail);
        (await App.WithDbAsync(db => db.PasskeyCeremonies.CountAsync(c => c.UserId != null && c.Purpose == PasskeyCeremonies.Register && c.State.Contains("\"karl\""))))
            .ShouldBe(0);
    }

    private async Task<(IPage Page, VirtualAuthenticator Authenticator)> OpenAsync(PasskeyPage site, bool verifiesUser = true)
    {
        var page = await _context.NewPageAsync();
        var authenticator = await VirtualAuthenticator.AddAsync(page, verifiesUser);
        await page.GotoAsync(site.Address.ToString());
        return (page, authenticator);
    }

    /// <summary>A new account with one passkey, added through the page; the page stays open with the authenticator that holds it.</summary>
    private async Task<(IPage Page, VirtualAuthenticator Authenticator)> RegisteredAsync(string username)
    {
        var token = (await App.RegisterAndSignInAsync(username, Password)).AccessToken;
        var opened = await OpenAsync(service.Page);
        var added = await CallAsync(opened.Page, "registerPasskey", Base, token, "Key");
        added.GetProperty("status").GetInt32().ShouldBe(201, added.ToString());
        return opened;
    }

    /// <summary>Calls a function of the page; its result comes back as JSON text, so nothing of Playwright's own is added to it.</summary>
    private static async Task<JsonElement> CallAsync(IPage page, string function, params object[] args) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>($"async (args) => JSON.stringify(await window.{function}(...args))", args)).RootElement;

    private static async Task<string> CallStringAsync(IPage page, string function, string optionsJson) =>
        await page.EvaluateAsync<string>($"(options) => window.{function}(JSON.parse(options))", optionsJson);

    private static Task<string> GetCredentialAsync(IPage page, JsonElement options) => CallStringAsync(page, "getCredential", options.GetRawText());

    private async Task<(string CeremonyId, JsonElement Options)> LoginOptionsAsync()
    {
        using var client = Anonymous();
        var response = await client.PostAsync("/user/passkeys/login/options", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        body.GetProperty("options").GetProperty("allowCredentials").GetArrayLength().ShouldBe(0);
        return (body.Str("ceremony_id"), body.GetProperty("options"));
    }

    /// <summary>A second instance of the service on the same database, with the same relying party.</summary>
    private UserServicesApp SecondReplica()
    {
        var settings = UserServicesApp.Defaults(service.DatabaseUrl);
        settings["Passkeys:ServerDomain"] = "localhost";
        settings["Passkeys:Origins:0"] = service.Page.Origin;
        return UserServicesApp.Start(settings);
    }

    private static Task<HttpResponseMessage> GrantOnAsync(UserServicesApp app, string ceremonyId, string credential) =>
        app.PostTokenAsync(("grant_type", PasskeySignIn.GrantType), ("ceremony_id", ceremonyId), ("credential", credential));

    private async Task<HttpResponseMessage> GrantAsync(string ceremonyId, string credential)
    {
        using var client = Anonymous();
        return await client.PostAsync("/user/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = PasskeySignIn.GrantType,
            ["ceremony_id"] = ceremonyId,
            ["credential"] = credential,
        }));
    }

    private HttpClient Anonymous() => new() { BaseAddress = App.BaseAddress };

    private HttpClient Bearer(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task<long> SignCountAsync(string id) => App.WithDbAsync(db =>
    {
        var credentialId = PasskeyIds.Decode(id)!;
        return db.UserPasskeys.Where(p => p.CredentialId == credentialId).Select(p => EF.Property<long>(p, PasskeyColumns.SignCount)).SingleAsync();
    });

    private Task<int> SessionCountAsync(string username) =>
        App.WithDbAsync(db => db.Sessions.CountAsync(s => s.User!.UserName == username));

    private Task<List<string>> AuditActionsAsync(string username) =>
        App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserName == username).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
