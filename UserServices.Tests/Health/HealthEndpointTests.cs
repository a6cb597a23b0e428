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
}
