using System.Net;
using System.Text;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Tokens;

public sealed class TokenEndpointTests(TokenEndpointTests.Fixture fixture) : IClassFixture<TokenEndpointTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<TokenEndpointTests>(server)
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("alice", "alice@example.com", Password)).EnsureSuccessStatusCode();
        }
    }

    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Token_for_right_password_is_a_30_minute_bearer_token_that_is_not_cached()
    {
        var response = await App.PostTokenAsync(("grant_type", "password"), ("username", "alice"), ("password", Password));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["access_token", "token_type", "expires_in", "refresh_token"]);
        body.Str("token_type").ShouldBe("bearer");
        body.GetProperty("expires_in").GetInt32().ShouldBe(1800);
        body.Str("access_token").Split('.').Length.ShouldBe(3);
    }

    [Fact]
    public async Task Token_without_grant_type_and_with_ignored_fields_is_accepted_like_the_original()
    {
        var response = await App.PostTokenAsync(
            ("username", "alice"), ("password", Password), ("scope", "anything"), ("client_id", "x"), ("client_secret", "y"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Original_readme_curl_form_works_unchanged()
    {
        // curl -X POST http://127.0.0.1:8000/user/token -H "Content-Type: application/x-www-form-urlencoded" -d "username=alice&password=..."
        var content = new StringContent($"username=alice&password={Uri.EscapeDataString(Password)}", Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await App.CreateClient().PostAsync("/user/token", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).Str("token_type").ShouldBe("bearer");
    }

    [Theory]
    [InlineData("alice", "wrong password!")]
    [InlineData("nobody", "correct horse battery")]
    [InlineData("ALICE", "wrong password!")]
    public async Task Token_for_wrong_credentials_is_401_invalid_grant_with_bearer_challenge(string username, string password)
    {
        var response = await App.PostTokenAsync(("username", username), ("password", password));

        await response.ShouldBeProblemAsync(
            HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
    }

    [Fact]
    public async Task Username_lookup_is_case_insensitive()
    {
        var response = await App.PostTokenAsync(("username", "ALICE"), ("password", Password));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unknown_grant_type_is_400_unsupported_grant_type()
    {
        var response = await App.PostTokenAsync(("grant_type", "authorization_code"), ("username", "alice"), ("password", Password));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "unsupported_grant_type");
    }

    [Theory]
    [InlineData("username")]
    [InlineData("password")]
    public async Task Missing_field_is_400_invalid_request_naming_it(string missing)
    {
        var fields = new[] { ("username", "alice"), ("password", Password) }.Where(f => f.Item1 != missing).ToArray();

        var response = await App.PostTokenAsync(fields);

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_request");
        body.Str("detail").ShouldContain($"'{missing}'");
    }

    [Fact]
    public async Task Json_body_is_415_problem_details()
    {
        var response = await App.CreateClient().PostAsync("/user/token",
            new StringContent("{\"username\":\"alice\",\"password\":\"x\"}", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }
}
