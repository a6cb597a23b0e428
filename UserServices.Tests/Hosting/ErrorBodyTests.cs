using System.Net;
using System.Text;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

/// <summary>
/// Every error body has a <c>detail</c> saying what is wrong in the API's words: the framework's own answers (no
/// endpoint, wrong method, wrong media type) included, and a body that cannot be bound names the field, never a
/// parser position, a JSON path or a .NET type.
/// </summary>
public sealed class ErrorBodyTests(ServiceFixture<ErrorBodyTests> fixture) : IClassFixture<ServiceFixture<ErrorBodyTests>>
{
    private UserServicesApp App => fixture.App;

    private Task<HttpResponseMessage> RegisterAsync(string body, string contentType = "application/json") =>
        App.CreateClient().PostAsync("/user/register", new StringContent(body, Encoding.UTF8, contentType));

    private static async Task<string[]> ErrorsOfAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("BytePositionInLine", Case.Sensitive);
        text.ShouldNotContain("UserServices.", Case.Sensitive);
        text.ShouldNotContain("\"$", Case.Sensitive);
        text.ShouldNotContain("\"\":", Case.Sensitive);
        var body = await response.ShouldBeProblemAsync(
            HttpStatusCode.BadRequest, detail: "The request has invalid fields; 'errors' says what is wrong with each.");
        body.GetProperty("errors").PropertyNames().ShouldBe([field], text);
        return [.. body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];
    }

    [Fact]
    public async Task A_path_with_no_endpoint_is_404_saying_so()
    {
        var response = await App.CreateClient().GetAsync("/nowhere/at/all");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, detail: "Nothing is at /nowhere/at/all.");
    }

    [Fact]
    public async Task A_wrong_method_is_405_naming_it_and_listing_the_allowed_ones()
    {
        var response = await App.CreateClient().DeleteAsync("/user/register");

        await response.ShouldBeProblemAsync(
            HttpStatusCode.MethodNotAllowed, detail: "DELETE is not allowed on /user/register; the Allow header lists the methods that are.");
        response.Content.Headers.Allow.ShouldBe(["POST"]);
    }

    [Fact]
    public async Task A_body_of_another_media_type_is_415_naming_it()
    {
        var response = await RegisterAsync("username=alice", "text/plain");

        await response.ShouldBeProblemAsync(
            HttpStatusCode.UnsupportedMediaType,
            detail: "This endpoint does not read bodies of type 'text/plain; charset=utf-8'; see the API reference (/docs) for the one it takes.");
    }

    [Fact]
    public async Task A_field_of_the_wrong_JSON_type_is_named_with_the_type_it_should_be()
    {
        var response = await RegisterAsync("""{"username": 5, "email": "a@example.com", "password": "violet tractor umbrella"}""");

        (await ErrorsOfAsync(response, "username")).ShouldBe(["'username' must be a string."]);
    }

    [Theory]
    [InlineData("""{"username": "a", """)]
    [InlineData("""{"username": "a"} trailing""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""not json""")]
    public async Task A_body_that_is_not_a_JSON_object_is_one_error_on_the_body(string json)
    {
        var response = await RegisterAsync(json);

        (await ErrorsOfAsync(response, "body")).ShouldBe(["The body is not valid JSON (or not a JSON object)."]);
    }

    [Fact]
    public async Task An_empty_body_is_one_error_saying_a_body_is_required()
    {
        var response = await RegisterAsync("");

        (await ErrorsOfAsync(response, "body")).ShouldBe(["A JSON object body is required."]);
    }
}
