using System.Net;
using UserServices.Tests.Infrastructure;
using static UserServices.Tests.Tokens.OAuthRequests;

namespace UserServices.Tests.Tokens;

/// <summary>
/// RFC 6749 §5.2 errors are application/json, and some OAuth2 libraries (openid-client) refuse any other type. A client
/// whose Accept names only application/json gets the same body labelled so; everyone else keeps problem+json.
/// </summary>
public sealed class OAuthErrorFormatTests(OAuthErrorFormatTests.Fixture fixture) : IClassFixture<OAuthErrorFormatTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<OAuthErrorFormatTests>(server);

    private async Task<HttpResponseMessage> RefreshWithUnknownTokenAsync(string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/token") { Content = Form(("grant_type", "refresh_token"), ("refresh_token", "unknown")) };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await fixture.App.CreateClient().SendAsync(request);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json, text/plain;q=0.5")]
    public async Task A_client_accepting_only_json_gets_the_error_as_application_json(string accept)
    {
        var response = await RefreshWithUnknownTokenAsync(accept);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.ReadJsonAsync();
        body.Str("error").ShouldBe("invalid_grant");
        body.Str("error_description").ShouldBe("The refresh token is unknown.");
        body.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["detail", "error", "error_description", "status", "title", "traceId", "type"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json, */*")]
    [InlineData("application/problem+json")]
    [InlineData("application/json, application/problem+json")]
    public async Task Every_other_client_keeps_problem_json(string? accept)
    {
        var response = await RefreshWithUnknownTokenAsync(accept);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.ReadJsonAsync()).Str("error").ShouldBe("invalid_grant");
    }
}
