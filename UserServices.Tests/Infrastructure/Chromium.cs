using Microsoft.Playwright;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// Debian's chromium, driven by Playwright, one browser per test class. Playwright's own browser downloads are never
/// used (they need the internet and a supported distribution); CHROMIUM_PATH points elsewhere if needed.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static readonly string ExecutablePath =
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The launched browser; a missing chromium fails the test with one line instead of skipping it.</summary>
    public IBrowser Browser
    {
        get
        {
            if (_browser is null)
            {
                Assert.Fail($"Chromium not found at {ExecutablePath}: apt-get install chromium");
            }

            return _browser;
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            return; // reported by Browser, inside each test
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Timeout = 30_000,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
