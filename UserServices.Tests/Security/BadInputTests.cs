using System.Net;
using System.Net.Http.Json;
using System.Text;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>Bad input gets a clear 4xx ProblemDetails and changes nothing; failures never leak details.</summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<BadInputTests>(server)
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("existing", "existing@example.com", Password)).EnsureSuccessStatusCode();
        }
    }

    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    private Task<int> UserCountAsync() => App.WithDbAsync(db => Task.FromResult(db.Users.Count()));

    [Fact]
    public async Task Oversized_token_body_is_413()
    {
        var body = "username=existing&password=" + new string('x', 17 * 1024);
        var response = await App.CreateClient().PostAsync("/user/token", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Oversized_registration_body_is_413_and_creates_nobody()
    {
        var before = await UserCountAsync();
        var response = await App.CreateClient().PostAsJsonAsync("/user/register",
            new { username = "bigbody", email = "bigbody@example.com", password = Password, padding = new string('x', 17 * 1024) });

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await UserCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData(257, 10)]
    [InlineData(10, 1025)]
    public async Task Over_long_login_fields_are_400_invalid_request(int usernameLength, int passwordLength)
    {
        var response = await App.PostTokenAsync(("username", new string('u', usernameLength)), ("password", new string('p', passwordLength)));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_request");
    }

    [Theory]
    [InlineData("bad\u0000name")]
    [InlineData("bad\nname")]
    [InlineData("bad\u001bname")]
    [InlineData("tab\tname")]
    public async Task Control_characters_in_usernames_are_refused_at_registration(string username)
    {
        var before = await UserCountAsync();
        var response = await App.RegisterAsync(username, "ctl@example.com", Password);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("username", out _).ShouldBeTrue();
        (await UserCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Over_long_username_is_refused_at_registration()
    {
        var response = await App.RegisterAsync(new string('a', 257), "long@example.com", Password);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("username")[0].GetString()!.ShouldContain("256");
    }

    [Fact]
    public async Task Form_sent_to_the_json_endpoint_is_415()
    {
        var response = await App.CreateClient().PostAsync("/user/register",
            new FormUrlEncodedContent([KeyValuePair.Create("username", "formy"), KeyValuePair.Create("password", Password)]));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Broken_json_is_400_saying_so()
    {
        var response = await App.CreateClient().PostAsync("/user/register", new StringContent("{\"username\": \"x\", ", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("errors");
    }

    [Fact]
    public async Task Sql_metacharacters_are_plain_data()
    {
        const string username = "o'brien\";--";
        var login = await App.PostTokenAsync(("username", "' OR '1'='1"), ("password", "' OR '1'='1' --"));
        login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Identity's username alphabet refuses quotes, so the email carries them into the database instead.
        var response = await App.RegisterAsync("obrien", "o'brien+x@example.com", Password);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await response.ReadJsonAsync()).Str("email").ShouldBe("o'brien+x@example.com");
        (await App.RegisterAsync(username, "sql@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.TokenAsync("obrien", Password)).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Unhandled_exception_is_a_generic_500_with_a_trace_id_and_the_detail_only_in_the_log()
    {
        var response = await App.CreateClient().GetAsync("/test/throw");

        await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("secret internal detail");
        text.ShouldNotContain("InvalidOperationException");
        text.ShouldNotContain(" at ");
        App.Logs.ShouldContain(line => line.Contains("secret internal detail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_route_is_404_problem_details()
    {
        var response = await App.CreateClient().GetAsync("/no/such/route");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Passwords_tokens_and_the_secret_never_reach_the_logs()
    {
        const string password = "logged? never horse";
        const string wrongPassword = "wrong! never logged";
        (await App.RegisterAsync("quiet", "quiet@example.com", password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await App.TokenAsync("quiet", password);
        (await App.BearerClient(token).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.PostTokenAsync(("username", "quiet"), ("password", wrongPassword))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var logs = string.Join('\n', App.Logs);
        logs.ShouldNotBeEmpty();
        logs.ShouldNotContain(password);
        logs.ShouldNotContain(wrongPassword);
        logs.ShouldNotContain(token);
        logs.ShouldNotContain(token.Split('.')[2]);
        logs.ShouldNotContain(UserServicesApp.SecretKey);
    }
}
