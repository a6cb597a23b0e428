using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Health;

public sealed class HealthEndpointTests(ServiceFixture<HealthEndpointTests> fixture) : IClassFixture<ServiceFixture<HealthEndpointTests>>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoint_is_200_Healthy_as_plain_text(string path)
    {
        var response = await fixture.App.CreateClient().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Theory]
    [InlineData("/health/live", "TRACE")]
    [InlineData("/health/ready", "TRACE")]
    [InlineData("/health/live", "POST")]
    [InlineData("/health/ready", "DELETE")]
    public async Task Health_endpoint_answers_only_get_and_head(string path, string method)
    {
        var response = await fixture.App.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET", "HEAD"]);
        (await fixture.App.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
