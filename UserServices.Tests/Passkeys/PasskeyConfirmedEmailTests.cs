using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Passkeys;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passkeys;

/// <summary>With <c>Accounts:RequireConfirmedEmail</c>, a valid passkey on an unconfirmed account gets the password's 403.</summary>
public sealed class PasskeyConfirmedEmailTests(PasskeyConfirmedEmailTests.Fixture service, Chromium chromium)
    : IClassFixture<PasskeyConfirmedEmailTests.Fixture>, IClassFixture<Chromium>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasskeyConfirmedEmailTests>(server)
    {
        public PasskeyPage Page { get; } = new();

        public override async ValueTask InitializeAsync()
        {
            await Page.StartAsync();
            await base.InitializeAsync();
        }

        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Passkeys:ServerDomain"] = "localhost";
            settings["Passkeys:Origins:0"] = Page.Origin;
            settings["Transport:CorsOrigins:0"] = Page.Origin;
            settings["Accounts:RequireConfirmedEmail"] = "true";
        }

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) => UserServicesApp.Start(settings, onKestrel: true);

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Page.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_valid_passkey_of_an_unconfirmed_account_is_403_email_not_confirmed()
    {
        var app = service.App;
        (await app.RegisterAsync("olga", "olga@example.com", "correct horse battery")).StatusCode.ShouldBe(HttpStatusCode.Created);
        await SetConfirmedAsync(app, true);
        var token = await app.TokenAsync("olga", "correct horse battery");
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(page);
        await page.GotoAsync(service.Page.Address.ToString());
        (await CallAsync(page, "registerPasskey", app.BaseAddress.ToString(), token, "Key")).GetProperty("status").GetInt32().ShouldBe(201);
        await SetConfirmedAsync(app, false);

        var refused = await CallAsync(page, "signInWithPasskey", app.BaseAddress.ToString());

        refused.GetProperty("status").GetInt32().ShouldBe(403);
        refused.GetProperty("body").Str("error").ShouldBe("email_not_confirmed");
        refused.GetProperty("body").Str("detail").ShouldBe(PasskeySignIn.EmailNotConfirmedDetail);
        (await app.WithDbAsync(db => db.Sessions.CountAsync(s => s.User!.UserName == "olga"))).ShouldBe(1, "only the password sign-in");
    }

    private static Task<int> SetConfirmedAsync(UserServicesApp app, bool confirmed) => app.WithDbAsync(db =>
        db.Users.Where(u => u.UserName == "olga").ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, confirmed)));

    private static async Task<JsonElement> CallAsync(Microsoft.Playwright.IPage page, string function, params object[] args) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>($"async (args) => JSON.stringify(await window.{function}(...args))", args)).RootElement;
}
