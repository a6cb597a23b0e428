using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

/// <summary>
/// Bodies the service will not read: another charset than UTF-8, a repeated form parameter, a repeated JSON member,
/// and a body over its limit whether or not its length was declared. On Kestrel, whose body limits the in-memory
/// server does not enforce.
/// </summary>
public sealed class RequestBodyTests(RequestBodyTests.Fixture fixture) : IClassFixture<RequestBodyTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<RequestBodyTests>(server)
    {
        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) => UserServicesApp.Start(settings, onKestrel: true);

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("alice", "alice@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    private const string Password = "correct horse battery";

    public static TheoryData<string> FormEndpoints => ["/user/token", "/user/revoke", "/user/introspect"];

    public static TheoryData<string> JsonEndpoints => ["/user/register", "/user/password/forgot", "/user/password/reset", "/user/email/confirm"];

    private static readonly string[] RefusedCharsets = ["utf-7", "utf-16", "UTF-32", "iso-8859-1", "us-ascii", "no-such-charset"];

    private UserServicesApp App => fixture.App;

    private HttpClient Client() => new() { BaseAddress = App.BaseAddress };

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private async Task<int> UserCountAsync() => await App.WithDbAsync(db => Task.FromResult(db.Users.Count()));

    [Theory]
    [MemberData(nameof(FormEndpoints))]
    public async Task Form_in_another_charset_than_utf8_is_415_on_every_form_endpoint(string path)
    {
        foreach (var charset in RefusedCharsets)
        {
            var response = await Client().PostAsync(path, Body(Encoding.UTF8.GetBytes("username=alice&password=x+%2B-"), $"application/x-www-form-urlencoded; charset={charset}"));

            await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType,
                type: "https://tools.ietf.org/html/rfc9110#section-15.5.16",
                detail: $"The request body's charset '{charset}' is not supported; send UTF-8.");
        }
    }

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task Json_in_another_charset_than_utf8_is_415_on_every_json_endpoint_and_changes_nothing(string path)
    {
        var before = await UserCountAsync();
        foreach (var charset in RefusedCharsets)
        {
            // An odd number of bytes: not even decodable as UTF-16.
            var response = await Client().PostAsync(path, Body(Encoding.UTF8.GetBytes("{\"username\":\"utf16\"}"), $"application/json; charset={charset}"));

            await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType,
                detail: $"The request body's charset '{charset}' is not supported; send UTF-8.");
        }

        (await UserCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded; charset=\"UTF-8\"")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Utf8_declared_or_not_is_read(string contentType)
    {
        var response = await Client().PostAsync("/user/token", Body(Encoding.UTF8.GetBytes("username=alice&password=correct+horse+battery&client_id=app"), contentType));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/user/token", "username=alice&username=mallory&password=correct+horse+battery&client_id=app", "username")]
    [InlineData("/user/token", "grant_type=password&grant_type=refresh_token&username=alice&password=correct+horse+battery&client_id=app", "grant_type")]
    [InlineData("/user/token", "username=alice&password=correct+horse+battery&client_id=app&client_id=app", "client_id")]
    [InlineData("/user/revoke", "token=a&token=b&client_id=app", "token")]
    [InlineData("/user/introspect", "token=a&token=b", "token")]
    public async Task A_repeated_form_parameter_is_400_invalid_request_naming_it(string path, string form, string parameter)
    {
        // Introspection needs a registered client, but the repeated parameter is refused before anyone is asked who they are.
        var response = await Client().PostAsync(path, Body(Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest,
            detail: $"The '{parameter}' parameter was sent more than once.", error: "invalid_request");
    }

    [Theory]
    [InlineData("/user/register", "{\"username\":\"dup-a\",\"username\":\"dup-b\",\"email\":\"dup@example.com\",\"password\":\"correct horse battery\"}", "username")]
    [InlineData("/user/register", "{\"username\":\"dup-c\",\"Username\":\"dup-d\",\"email\":\"dup2@example.com\",\"password\":\"correct horse battery\"}", "Username")]
    [InlineData("/user/password/forgot", "{\"email\":\"alice@example.com\",\"email\":\"mallory@example.com\"}", "email")]
    [InlineData("/user/password/reset", "{\"token\":\"a\",\"new_password\":\"x\",\"new_password\":\"y\"}", "new_password")]
    public async Task A_repeated_json_member_is_400_naming_it_and_changes_nothing(string path, string json, string member)
    {
        var before = await UserCountAsync();

        var response = await Client().PostAsync(path, Body(Encoding.UTF8.GetBytes(json), "application/json"));

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        body.GetProperty("errors").ToString().ShouldContain($"'{member}'");
        (await UserCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_repeated_json_member_on_a_signed_in_endpoint_is_400_too()
    {
        var token = await App.TokenAsync("alice", Password);
        var request = new HttpRequestMessage(HttpMethod.Put, "/user/password")
        {
            Content = Body(Encoding.UTF8.GetBytes("{\"current_password\":\"correct horse battery\",\"new_password\":\"a new passphrase here\",\"new_password\":\"x\"}"), "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await Client().SendAsync(request);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").ToString().ShouldContain("'new_password'");
        (await App.PostTokenAsync(("username", "alice"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/user/token", "application/x-www-form-urlencoded")]
    [InlineData("/user/revoke", "application/x-www-form-urlencoded")]
    [InlineData("/user/register", "application/json")]
    [InlineData("/user/password/reset", "application/json")]
    public async Task A_chunked_body_over_the_limit_is_413_like_a_declared_one(string path, string contentType)
    {
        var before = await UserCountAsync();
        var padding = new string('x', 17 * 1024);
        var bytes = Encoding.UTF8.GetBytes(contentType.EndsWith("json", StringComparison.Ordinal)
            ? $"{{\"username\":\"chunky\",\"email\":\"chunky@example.com\",\"password\":\"{padding}\"}}"
            : $"username=alice&password={padding}");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Body(bytes, contentType) };
        request.Headers.TransferEncodingChunked = true;

        var response = await Client().SendAsync(request);

        request.Content.Headers.ContentLength.ShouldBeNull();
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, detail: "The request body is too large.");
        (await UserCountAsync()).ShouldBe(before);
    }
}
