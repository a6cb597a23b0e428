using System.Net;
using System.Text.Json;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Docs;

public sealed class ApiDocsTests(ServiceFixture<ApiDocsTests> fixture) : IClassFixture<ServiceFixture<ApiDocsTests>>
{
    private async Task<JsonElement> OpenApiAsync()
    {
        var response = await fixture.App.CreateClient().GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task OpenApi_declares_the_OAuth2_password_flow_at_user_token()
    {
        var document = await OpenApiAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("OAuth2PasswordBearer");
        scheme.Str("type").ShouldBe("oauth2");
        var flows = scheme.GetProperty("flows");
        flows.PropertyNames().ShouldBe(["password"]);
        flows.GetProperty("password").Str("tokenUrl").ShouldBe("/user/token");
    }

    [Fact]
    public async Task OpenApi_says_the_profile_needs_the_bearer_token_and_registration_and_token_do_not()
    {
        var paths = (await OpenApiAsync()).GetProperty("paths");

        var profile = paths.GetProperty("/user/user").GetProperty("get");
        var requirement = profile.GetProperty("security").EnumerateArray().ShouldHaveSingleItem();
        requirement.PropertyNames().ShouldBe(["OAuth2PasswordBearer"]);
        // 403: a client's own token (client credentials) is valid but names no account.
        profile.GetProperty("responses").PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["200", "401", "403", "404"]);
        paths.GetProperty("/user/register").GetProperty("post").TryGetProperty("security", out _).ShouldBeFalse();
        paths.GetProperty("/user/token").GetProperty("post").TryGetProperty("security", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task OpenApi_documents_registration_outcomes()
    {
        var register = (await OpenApiAsync()).GetProperty("paths").GetProperty("/user/register").GetProperty("post");

        register.GetProperty("responses").PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["201", "400", "409", "413", "415", "429", "503"]);
    }

    [Fact]
    public async Task Docs_page_is_the_Scalar_reference_preconfigured_for_the_password_flow()
    {
        var response = await fixture.App.CreateClient().GetAsync("/docs");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/docs/");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldStartWith("<!doctype html>", Case.Insensitive);
        html.ShouldContain("<title>User Services API</title>");
        html.ShouldContain("<script src=\"scalar.js\"></script>");
        html.ShouldContain("\"preferredSecurityScheme\":[\"OAuth2PasswordBearer\"]");
        html.ShouldContain("\"sources\":[{\"title\":\"v1\",\"url\":\"openapi/v1.json\"}]");
        html.ShouldContain("\"telemetry\":false");
    }

    [Theory]
    [InlineData("/docs/scalar.js")]
    [InlineData("/docs/scalar.aspnetcore.js")]
    public async Task Docs_page_scripts_are_served_locally(string path)
    {
        var response = await fixture.App.CreateClient().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(100);
    }
}
