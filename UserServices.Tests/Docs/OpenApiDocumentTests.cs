using System.Net;
using System.Text.Json;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Docs;

/// <summary>What the /docs page is built from: the OpenAPI document, and the page's own configuration.</summary>
public sealed class OpenApiDocumentTests(ServiceFixture<OpenApiDocumentTests> fixture) : IClassFixture<ServiceFixture<OpenApiDocumentTests>>
{
    private UserServicesApp App => fixture.App;

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await App.CreateClient().GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Document_names_the_service_and_groups_operations_by_described_tags()
    {
        var document = await DocumentAsync();

        document.GetProperty("info").Str("title").ShouldBe("User Services API");
        document.GetProperty("info").Str("description").ShouldNotBeNullOrWhiteSpace();
        document.GetProperty("tags").EnumerateArray().Select(t => t.Str("name")).ShouldBe(["User", "Auth", "Sessions", "Passkeys", "Account recovery", "Admin", "Well-known"], ignoreOrder: true);
        document.GetProperty("tags").EnumerateArray().ShouldAllBe(t => !string.IsNullOrWhiteSpace(t.GetProperty("description").GetString()));
        var paths = document.GetProperty("paths");
        Tags(paths, "/user/register", "post").ShouldBe(["User"]);
        Tags(paths, "/user/user", "get").ShouldBe(["User"]);
        Tags(paths, "/user/token", "post").ShouldBe(["Auth"]);
        Tags(paths, "/user/revoke", "post").ShouldBe(["Auth"]);
        Tags(paths, "/user/sessions", "get").ShouldBe(["Sessions"]);
        Tags(paths, "/user/sessions/{id}", "delete").ShouldBe(["Sessions"]);
        Tags(paths, "/.well-known/jwks.json", "get").ShouldBe(["Well-known"]);
    }

    [Fact]
    public async Task Document_declares_the_password_flow_and_the_profile_requires_it()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("OAuth2PasswordBearer");
        scheme.Str("type").ShouldBe("oauth2");
        scheme.GetProperty("flows").GetProperty("password").Str("tokenUrl").ShouldBe("/user/token");
        var profile = document.GetProperty("paths").GetProperty("/user/user").GetProperty("get");
        profile.GetProperty("security")[0].PropertyNames().ShouldBe(["OAuth2PasswordBearer"]);
        document.GetProperty("paths").GetProperty("/user/token").GetProperty("post").TryGetProperty("security", out _).ShouldBeFalse();
        document.GetProperty("paths").GetProperty("/user/register").GetProperty("post").TryGetProperty("security", out _).ShouldBeFalse();
        // Every [Authorize] action, whether or not it takes a body, asks the page for the token.
        foreach (var (path, method) in new[] { ("/user/logout", "post"), ("/user/password", "put") })
        {
            document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security")[0].PropertyNames().ShouldBe(["OAuth2PasswordBearer"]);
        }

        document.GetProperty("paths").GetProperty("/user/revoke").GetProperty("post").TryGetProperty("security", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("/user/register", "post", "400", "ValidationProblemDetails")]
    [InlineData("/user/register", "post", "409", "ProblemDetails")]
    [InlineData("/user/token", "post", "400", "ProblemDetails")]
    [InlineData("/user/token", "post", "401", "ProblemDetails")]
    [InlineData("/user/user", "get", "401", "ProblemDetails")]
    [InlineData("/user/user", "get", "404", "ProblemDetails")]
    public async Task Every_error_is_a_described_ProblemDetails_with_an_example(string path, string method, string status, string schema)
    {
        var document = await DocumentAsync();

        var response = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status);
        response.Str("description").Length.ShouldBeGreaterThan(20, "a sentence saying when it happens, not just the reason phrase");
        var content = response.GetProperty("content");
        content.PropertyNames().ShouldBe(["application/problem+json"]);
        var media = content.GetProperty("application/problem+json");
        media.GetProperty("schema").Str("$ref").ShouldBe($"#/components/schemas/{schema}");
        var example = media.GetProperty("example");
        example.GetProperty("status").GetInt32().ShouldBe(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture));
        example.PropertyNames().ShouldContain("traceId");
        example.PropertyNames().ShouldContain("detail");
        if (status == "401")
        {
            response.GetProperty("headers").PropertyNames().ShouldContain("WWW-Authenticate");
            example.PropertyNames().ShouldContain("error");
        }
    }

    [Fact]
    public async Task ProblemDetails_schema_lists_the_members_every_error_adds()
    {
        var document = await DocumentAsync();

        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        properties.PropertyNames().ShouldBe(["type", "title", "status", "detail", "instance", "traceId", "error", "error_description"], ignoreOrder: true);
    }

    [Fact]
    public async Task Docs_page_is_configured_for_the_password_flow_without_telemetry_or_font_downloads()
    {
        var client = App.CreateClient();

        var html = await client.GetStringAsync("/docs/");

        html.ShouldContain("<title>User Services API</title>");
        html.ShouldContain("\"preferredSecurityScheme\":[\"OAuth2PasswordBearer\"]");
        html.ShouldContain("\"password\":{}");
        html.ShouldContain("\"telemetry\":false");
        html.ShouldContain("\"withDefaultFonts\":false");
    }

    private static string[] Tags(JsonElement paths, string path, string method) =>
        paths.GetProperty(path).GetProperty(method).GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray();
}
