using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using UserServices.Api.Passkeys;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passkeys;

/// <summary>A ceremony lives five minutes on the service's clock (a fake one here), then is refused and cleaned up.</summary>
public sealed class PasskeyCeremonyExpiryTests(PasskeyCeremonyExpiryTests.Fixture service, Chromium chromium)
    : IClassFixture<PasskeyCeremonyExpiryTests.Fixture>, IClassFixture<Chromium>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<PasskeyCeremonyExpiryTests>(server)
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

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
        }

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) =>
            UserServicesApp.Start(settings, onKestrel: true, testServices: services => services.AddSingleton<TimeProvider>(Clock));

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Page.DisposeAsync();
        }
    }

    private static readonly TimeSpan JustOver = PasskeyCeremonies.Lifetime + TimeSpan.FromSeconds(1);
    private static readonly TimeSpan JustUnder = PasskeyCeremonies.Lifetime - TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_ceremony_finished_after_five_minutes_is_refused_and_one_finished_before_is_not()
    {
        var app = service.App;
        var token = (await app.RegisterAndSignInAsync("nora", "correct horse battery")).AccessToken;
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(page);
        await page.GotoAsync(service.Page.Address.ToString());
        using var nora = new HttpClient { BaseAddress = app.BaseAddress };
        nora.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Registration: too late, then in time.
        var late = await (await nora.PostAsync("/user/passkeys/options", null)).ReadJsonAsync();
        service.Clock.Advance(JustOver);
        var lateCredential = await CreateAsync(page, late);
        var refused = await (await nora.PostAsJsonAsync("/user/passkeys", new { ceremony_id = late.Str("ceremony_id"), credential = lateCredential }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeysController.InvalidDetail);
        refused.GetProperty("errors").GetProperty("ceremony_id")[0].GetString().ShouldBe(PasskeyRegistration.CeremonyRefused);
        var inTime = await (await nora.PostAsync("/user/passkeys/options", null)).ReadJsonAsync();
        service.Clock.Advance(TimeSpan.FromSeconds(30));
        var credential = await CreateAsync(page, inTime);
        (await nora.PostAsJsonAsync("/user/passkeys", new { ceremony_id = inTime.Str("ceremony_id"), credential })).StatusCode.ShouldBe(HttpStatusCode.Created);

        // Sign-in: too late, then just in time.
        var (lateLogin, lateOptions) = await LoginOptionsAsync(app);
        service.Clock.Advance(JustOver);
        await (await GrantAsync(app, lateLogin, await GetAsync(page, lateOptions)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: PasskeySignIn.RefusedDetail, error: "invalid_grant");
        var (login, options) = await LoginOptionsAsync(app);
        service.Clock.Advance(JustUnder);
        (await GrantAsync(app, login, await GetAsync(page, options))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The two ceremonies refused as expired are still there, for the hourly cleanup to delete.
        var cleanup = app.Services.GetServices<IHostedService>().OfType<PasskeyCeremonyCleanup>().Single();
        (await cleanup.DeleteExpiredAsync(CancellationToken.None)).ShouldBe(2);
        (await app.WithDbAsync(db => db.PasskeyCeremonies.CountAsync())).ShouldBe(0);
    }

    private static async Task<JsonElement> CreateAsync(IPage page, JsonElement begun) => JsonDocument.Parse(
        await page.EvaluateAsync<string>("(options) => window.createCredential(JSON.parse(options))", begun.GetProperty("options").GetRawText())).RootElement;

    private static Task<string> GetAsync(IPage page, string options) =>
        page.EvaluateAsync<string>("(options) => window.getCredential(JSON.parse(options))", options);

    private static async Task<(string CeremonyId, string Options)> LoginOptionsAsync(UserServicesApp app)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var body = await (await client.PostAsync("/user/passkeys/login/options", null)).ReadJsonAsync();
        return (body.Str("ceremony_id"), body.GetProperty("options").GetRawText());
    }

    private static async Task<HttpResponseMessage> GrantAsync(UserServicesApp app, string ceremonyId, string credential)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        return await client.PostAsync("/user/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = PasskeySignIn.GrantType,
            ["ceremony_id"] = ceremonyId,
            ["credential"] = credential,
        }));
    }
}
