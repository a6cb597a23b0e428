using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

/// <summary>
/// With no trusted proxy configured (the default), X-Forwarded-For is ignored from every peer: the connection's
/// address is what the rate limits and the audit log see. The configured-proxy case is in BruteForceTests and ScaleOut.
/// </summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.Fixture fixture) : IClassFixture<ForwardedHeadersTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<ForwardedHeadersTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) =>
            settings["RateLimits:TokenPerClientPerMinute"] = "12";
    }

    private UserServicesApp App => fixture.App;

    private static HttpRequestMessage Login(string username, string spoofedAddress)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/user/token")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", "wrong password")]),
        };
        request.Headers.Add("X-Forwarded-For", spoofedAddress);
        return request;
    }

    [Fact]
    public async Task A_new_spoofed_forwarded_address_per_request_meets_the_per_client_limit_at_its_configured_count()
    {
        var client = App.ClientFrom("192.0.2.10");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 13; i++)
        {
            statuses.Add((await client.SendAsync(Login($"spray{i}", $"203.0.113.{i + 1}"))).StatusCode);
        }

        statuses.Take(12).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses[12].ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task The_audit_event_records_the_peer_address_not_the_forwarded_one()
    {
        (await App.ClientFrom("192.0.2.20").SendAsync(Login("audited-spoofer", "198.51.100.77"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var ips = await App.WithDbAsync(db => Task.FromResult(
            db.AuditEvents.Where(e => e.UserName == "audited-spoofer").Select(e => e.Ip).ToList()));
        ips.ShouldBe(["192.0.2.20"]);
    }

    [Fact]
    public async Task Forwarded_proto_from_an_untrusted_peer_does_not_make_the_request_https()
    {
        // The discovery document builds its issuer from the request's scheme.
        var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await App.ClientFrom("192.0.2.30").SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).Str("token_endpoint").ShouldStartWith("http://");
    }
}
