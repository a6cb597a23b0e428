using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserServices.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserServices.Tests.Docs;

/// <summary>
/// The /docs page as a person uses it, in a real browser against the service on real Kestrel: it loads offline,
/// signs in through the OAuth2 password flow and calls the profile endpoint with the token it got.
/// Locators are roles and visible names only (see shared/notes/scalar-openapi.md for how they were found).
/// </summary>
public sealed partial class ScalarPageTests(ScalarPageTests.Fixture service, Chromium chromium)
    : IClassFixture<ScalarPageTests.Fixture>, IClassFixture<Chromium>, IAsyncLifetime
{
    /// <summary>On real Kestrel: the browser cannot reach the in-memory server.</summary>
    public sealed class Fixture(PostgresServer server) : ServiceFixture<ScalarPageTests>(server)
    {
        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) => UserServicesApp.Start(settings, onKestrel: true);
    }

    private const string Password = "correct horse battery";

    // A deadline for every wait; the whole flow takes a few seconds.
    private const float Deadline = 15_000;

    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async ValueTask InitializeAsync()
    {
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        _context.SetDefaultTimeout(Deadline);
        _page = await _context.NewPageAsync();
        _page.Request += (_, request) => _requests.Enqueue(request.Url);
        _page.RequestFailed += (_, request) => _problems.Enqueue($"request failed: {request.Url} {request.Failure}");
        _page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _problems.Enqueue($"console error: {message.Text}");
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_person_signs_in_on_the_docs_page_and_gets_their_profile_without_leaving_the_machine()
    {
        (await service.App.RegisterAsync("grace", "grace@example.com", Password)).EnsureSuccessStatusCode();

        await WithScreenshotOnFailure("scalar-authorized-profile-failure.png", async () =>
        {
            var auth = await OpenDocsAsync();
            await Expect(_page).ToHaveTitleAsync("User Services API");
            await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "User Services API" })).ToBeVisibleAsync();

            var tokenResponse = await SignInAsync(auth, "grace", Password);
            tokenResponse.Status.ShouldBe(200);
            var accessToken = auth.GetByRole(AriaRole.Textbox, new() { Name = "Access Token", Exact = true });
            await Expect(accessToken).ToHaveValueAsync(JwtShape());
            await Expect(auth.GetByRole(AriaRole.Button, new() { Name = "Clear tokens" })).ToBeVisibleAsync();

            await _page.GetByRole(AriaRole.Link, new() { Name = "get /user/user", Exact = true }).ClickAsync();
            await _page.GetByRole(AriaRole.Button, new() { Name = "Test Request (get /user/user)" }).ClickAsync();
            var client = _page.GetByRole(AriaRole.Dialog, new() { Name = "API Client" });
            var send = client.GetByRole(AriaRole.Button, new() { NameRegex = SendButtonName() });
            var profileResponse = await _page.RunAndWaitForResponseAsync(
                () => send.ClickAsync(), response => new Uri(response.Url).AbsolutePath == "/user/user");

            profileResponse.Status.ShouldBe(200);
            (await profileResponse.Request.HeaderValueAsync("authorization")).ShouldBe($"Bearer {await accessToken.InputValueAsync()}");
            var shown = client.GetByRole(AriaRole.Region, new() { Name = "Response" });
            await Expect(shown.GetByRole(AriaRole.Link, new() { NameRegex = StatusCode() })).ToHaveTextAsync(new Regex("^200 OK"));
            await Expect(shown).ToContainTextAsync("\"grace\"");
            await Expect(shown).ToContainTextAsync("grace@example.com");
            // Animations finished, so the picture shows the settled status line rather than its fade-in.
            await _page.ScreenshotAsync(new() { Path = ArtifactPath("scalar-authorized-profile.png"), Animations = ScreenshotAnimations.Disabled });
        });

        var paths = _requests.Select(url => new Uri(url).AbsolutePath).ToArray();
        paths.ShouldContain("/openapi/v1.json");
        paths.ShouldContain("/user/token");
        paths.ShouldContain("/user/user");
        AssertEveryRequestStayedOnTheService();
        _problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_wrong_password_on_the_docs_page_gives_no_access_token()
    {
        (await service.App.RegisterAsync("mallory", "mallory@example.com", Password)).EnsureSuccessStatusCode();

        await WithScreenshotOnFailure("scalar-wrong-password-failure.png", async () =>
        {
            var auth = await OpenDocsAsync();

            var tokenResponse = await SignInAsync(auth, "mallory", "not the password");

            tokenResponse.Status.ShouldBe(401);
            // The page has handled the answer once it says why; only then is "no token" a meaningful observation.
            await Expect(_page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("^Notifications") }))
                .ToContainTextAsync("Incorrect username or password");
            await Expect(auth.GetByRole(AriaRole.Textbox, new() { Name = "Access Token", Exact = true })).ToHaveCountAsync(0);
            await Expect(auth.GetByRole(AriaRole.Button, new() { Name = "Clear tokens" })).ToHaveCountAsync(0);
            await Expect(auth.GetByRole(AriaRole.Button, new() { Name = "Authorize" })).ToBeVisibleAsync();
            await _page.ScreenshotAsync(new() { Path = ArtifactPath("scalar-wrong-password.png"), Animations = ScreenshotAnimations.Disabled });
        });

        AssertEveryRequestStayedOnTheService();
    }

    /// <summary>Opens /docs and waits until the page is built from the OpenAPI document; returns its auth panel.</summary>
    private async Task<ILocator> OpenDocsAsync()
    {
        await _page.GotoAsync(new Uri(service.App.BaseAddress, "/docs").ToString());
        var auth = _page.GetByRole(AriaRole.Group, new() { Name = "Authentication" });
        await auth.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).WaitForAsync();
        return auth;
    }

    private async Task<IResponse> SignInAsync(ILocator auth, string username, string password)
    {
        // Exact role names: the scheme's description is also an accessible name on the panel.
        await auth.GetByRole(AriaRole.Combobox, new() { Name = "Username", Exact = true }).FillAsync(username);
        await auth.GetByRole(AriaRole.Textbox, new() { Name = "Password", Exact = true }).FillAsync(password);
        return await _page.RunAndWaitForResponseAsync(
            () => auth.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).ClickAsync(),
            response => new Uri(response.Url).AbsolutePath == "/user/token");
    }

    /// <summary>Works offline: the page, its scripts, the document and the API calls all come from the service.</summary>
    private void AssertEveryRequestStayedOnTheService()
    {
        _requests.ShouldNotBeEmpty();
        _requests.Where(url => new Uri(url) is not { Scheme: "http", Host: "127.0.0.1" } uri || uri.Port != service.App.BaseAddress.Port)
            .ShouldBeEmpty("every request the page makes goes to the service on 127.0.0.1");
    }

    private async Task WithScreenshotOnFailure(string fileName, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            await _page.ScreenshotAsync(new() { Path = ArtifactPath(fileName) });
            throw;
        }
    }

    private static string ArtifactPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "artifacts", fileName);

    [GeneratedRegex(@"^[\w-]+\.[\w-]+\.[\w-]+$")]
    private static partial Regex JwtShape();

    [GeneratedRegex("^Send get request to ")]
    private static partial Regex SendButtonName();

    [GeneratedRegex(@"^\d{3}\b")]
    private static partial Regex StatusCode();
}
