using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace LoadGen;

/// <summary>The services the benchmark knows.</summary>
internal static class Targets
{
    /// <summary>The Release build of UserServices: <c>dotnet UserServices.Api.dll</c>, ready when /health/ready (one SELECT 1) answers.</summary>
    public static Target UserServices(BenchOptions options, string secretKey, int? gateConcurrency, string password)
    {
        ServiceLaunch Launch(int port, params string[] command) => new(
            "dotnet",
            [options.ApiDll, .. command],
            // The content root (appsettings.json) is the working directory; no .env lies there.
            Path.GetDirectoryName(options.ApiDll)!,
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DATABASE_URL"] = options.DatabaseUrl,
                ["SECRET_KEY"] = secretKey,
                ["BCRYPT_WORK_FACTOR"] = options.WorkFactor.ToString(CultureInfo.InvariantCulture),
                // The benchmark measures capacity, not the abuse limits: make them unreachable.
                ["RateLimits__TokenPerClientPerMinute"] = "100000000",
                ["RateLimits__TokenPerUserPerMinute"] = "100000000",
                ["RateLimits__RegisterPerClientPerMinute"] = "100000000",
                ["PasswordChecks__Concurrency"] = (gateConcurrency ?? 0).ToString(CultureInfo.InvariantCulture),
                ["Urls"] = $"http://127.0.0.1:{port}",
            },
            "/health/ready",
            port);

        return new Target(
            "UserServices",
            port => Launch(port),
            // Timed starts find the schema in place.
            logPath => ServiceProcess.RunToCompletionAsync(Launch(ServiceProcess.FreePort(), "migrate"), logPath),
            user => RegisterWithUserName(user, password),
            HttpStatusCode.Created,
            user => FormLogin(user, password),
            body => body.GetProperty("access_token").GetString()!,
            string.Create(CultureInfo.InvariantCulture, $"bcrypt cost {options.WorkFactor} (BCrypt.Net-Next)"),
            () => VerifyTime.Bcrypt(options.WorkFactor, password, samples: 9));
    }

    private static HttpRequestMessage RegisterWithUserName(string user, string password) => new(HttpMethod.Post, "/user/register")
    {
        Content = JsonContent.Create(new Dictionary<string, string>
        {
            ["username"] = user,
            ["email"] = $"{user}@example.com",
            ["password"] = password,
        }),
    };

    private static HttpRequestMessage FormLogin(string user, string password) => new(HttpMethod.Post, "/user/token")
    {
        Content = new FormUrlEncodedContent([new("username", user), new("password", password)]),
    };
}
