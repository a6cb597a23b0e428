using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// Every endpoint of the service that needs a bearer token, read from its own routing table (so a new one is covered
/// without editing a list), as requests carrying a given token. Route parameters are 1; bodies are empty JSON: the
/// bearer check answers before either is looked at.
/// </summary>
public static partial class BearerEndpoints
{
    public static IReadOnlyList<(string Method, string Path)> Of(UserServicesApp app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, "/" + Parameter().Replace(e.RoutePattern.RawText!.TrimStart('/'), "1"))))
            .Distinct()
            .OrderBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.method, StringComparer.Ordinal)];

    /// <summary>Sends <paramref name="token"/> to every bearer endpoint; returns each answer with what was asked.</summary>
    public static async Task<List<(string Endpoint, HttpResponseMessage Response)>> SendAllAsync(UserServicesApp app, string token)
    {
        using var client = app.BearerClient(token);
        var answers = new List<(string, HttpResponseMessage)>();
        foreach (var (method, path) in Of(app))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is not ("GET" or "DELETE"))
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            answers.Add(($"{method} {path}", await client.SendAsync(request)));
        }

        return answers;
    }

    /// <summary>Every bearer endpoint answers <paramref name="token"/> with 401 <c>invalid_token</c>.</summary>
    public static async Task ShouldAllRefuseAsync(UserServicesApp app, string token)
    {
        var answers = await SendAllAsync(app, token);
        answers.Count.ShouldBeGreaterThan(10);
        foreach (var (endpoint, response) in answers)
        {
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized, endpoint);
            await response.ShouldBeInvalidTokenAsync();
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
