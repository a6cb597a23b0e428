using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

public sealed class HeadersTests(HeadersTests.Fixture fixture) : IClassFixture<HeadersTests.Fixture>
{
    /// <summary>The service as configured by default, and a second one on the same database with HTTPS and CORS on.</summary>
    public sealed class Fixture(PostgresServer server) : ServiceFixture<HeadersTests>(server)
    {
        private UserServicesApp? _hardened;

        public UserServicesApp Hardened => _hardened ?? throw new InvalidOperationException("The fixture is not initialised.");

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var hardened = UserServicesApp.Defaults(DatabaseUrl);
            hardened["Transport:RequireHttps"] = "true";
            hardened["Transport:CorsOrigins:0"] = "https://app.example.com";
            _hardened = UserServicesApp.Start(hardened);
        }

        public override async ValueTask DisposeAsync()
        {
            if (_hardened is not null)
            {
                await _hardened.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }

    private UserServicesApp Plain => fixture.App;

    private UserServicesApp Hardened => fixture.Hardened;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/user/user")]
    [InlineData("/no/such/route")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        var response = await Plain.CreateClient().GetAsync(path);

        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe("default-src 'none'; frame-ancestors 'none'");
    }

    [Fact]
    public async Task Docs_page_gets_a_policy_that_lets_scalar_run_from_its_own_origin_only()
    {
        var response = await Plain.CreateClient().GetAsync("/docs/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self' 'unsafe-inline'");
        csp.ShouldContain("connect-src 'self'");
        csp.ShouldNotContain("unsafe-eval");
        csp.ShouldNotContain("http");
    }

    [Fact]
    public async Task Cors_is_off_unless_origins_are_configured()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/user/token");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await Plain.CreateClient().SendAsync(preflight);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Configured_origin_gets_cors_and_others_do_not()
    {
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            var preflight = new HttpRequestMessage(HttpMethod.Options, "/user/token");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            return await Hardened.CreateClient(new() { BaseAddress = new Uri("https://localhost") }).SendAsync(preflight);
        }

        (await PreflightAsync("https://app.example.com")).Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("https://app.example.com");
        (await PreflightAsync("https://evil.example.com")).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Https_redirect_and_hsts_switch_on_by_configuration()
    {
        var redirect = await Hardened.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/health/live");
        redirect.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        redirect.Headers.Location!.Scheme.ShouldBe("https");

        var secure = await Hardened.CreateClient(new() { BaseAddress = new Uri("https://userservices.example.com") }).GetAsync("/health/live");
        secure.Headers.GetValues("Strict-Transport-Security").Single().ShouldStartWith("max-age=31536000");

        var plain = await Plain.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/health/live");
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
        plain.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }
}
