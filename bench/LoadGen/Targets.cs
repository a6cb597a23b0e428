using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using UserServices.Tests.Infrastructure;

namespace LoadGen;

/// <summary>The services the benchmark knows: UserServices, and the two peers in shared/peers (see bench/README.md).</summary>
internal static class Targets
{
    /// <summary>The Release build of UserServices: <c>dotnet UserServices.Api.dll</c>, ready when /health/ready (one SELECT 1) answers.</summary>
    /// <param name="sessionCheck">False: the bearer check does not read the session (<c>Sessions:CheckOnEveryRequest</c>), to measure what it costs.</param>
    /// <param name="extraSettings">More environment for the service (the registered clients of the client-credentials phases).</param>
    /// <param name="workFactor">The bcrypt cost of new hashes; unset: <c>--work-factor</c>.</param>
    public static Target UserServices(BenchOptions options, string secretKey, int? gateConcurrency, string password, string? redisUrl = null,
        bool sessionCheck = true, IReadOnlyDictionary<string, string>? extraSettings = null, int? workFactor = null)
    {
        var cost = workFactor ?? options.WorkFactor;
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
                ["BCRYPT_WORK_FACTOR"] = cost.ToString(CultureInfo.InvariantCulture),
                // The benchmark measures capacity, not the abuse limits: make them unreachable.
                ["RateLimits__TokenPerClientPerMinute"] = "100000000",
                ["RateLimits__TokenPerUserPerMinute"] = "100000000",
                ["RateLimits__RegisterPerClientPerMinute"] = "100000000",
                ["PasswordChecks__Concurrency"] = (gateConcurrency ?? 0).ToString(CultureInfo.InvariantCulture),
                ["Urls"] = $"http://127.0.0.1:{port}",
                // Set: every token/register request counts its limits in Redis (two round trips per login).
                ["REDIS_URL"] = redisUrl ?? "",
                ["Sessions__CheckOnEveryRequest"] = sessionCheck ? "true" : "false",
            }.Concat(extraSettings ?? new Dictionary<string, string>()).ToDictionary(),
            "/health/ready",
            port);

        return new Target(
            "UserServices",
            port => Launch(port),
            // Timed starts find the schema in place.
            logPath => ServiceProcess.RunToCompletionAsync(Launch(FreePorts.Next(), "migrate"), logPath),
            user => RegisterWithUserName(user, password),
            HttpStatusCode.Created,
            user => FormLogin(user, password),
            body => body.GetProperty("access_token").GetString()!,
            string.Create(CultureInfo.InvariantCulture, $"bcrypt cost {cost} ({VerifyTime.ServiceBcrypt.Name})"),
            () => VerifyTime.Bcrypt(cost, password, samples: 9));
    }

    /// <summary>
    /// The Python original (FastAPI, one uvicorn worker), set up beforehand by its own start.sh (cluster, schema,
    /// .env) in <paramref name="folder"/>; started here as start.sh starts it. It has no health endpoint: ready is
    /// when /openapi.json answers.
    /// </summary>
    public static Target SeedFastApi(string folder, string python, string password) => new(
        "seed-fastapi",
        port => new ServiceLaunch(
            python,
            ["-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--workers", "1", "--no-access-log"],
            folder,
            new Dictionary<string, string>(),
            "/openapi.json",
            port),
        null,
        user => RegisterWithUserName(user, password),
        HttpStatusCode.Created,
        user => FormLogin(user, password),
        body => body.GetProperty("access_token").GetString()!,
        "bcrypt cost 12 (passlib, pyca bcrypt)",
        () => VerifyTime.Passlib(python, password, samples: 9));

    /// <summary>
    /// ASP.NET Core Identity's <c>MapIdentityApi</c> with all defaults, built beforehand by its start.sh in
    /// <paramref name="folder"/>; started here as start.sh starts it; ready when /hello answers (after EnsureCreated).
    /// </summary>
    public static Target IdentityApi(string folder, string connectionString, string password) => new(
        "identity-api",
        port => new ServiceLaunch(
            "dotnet",
            [Path.Combine(folder, "bin", "Release", "net10.0", "IdentityApi.dll"), "--urls", $"http://127.0.0.1:{port}"],
            folder,
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Default"] = connectionString,
            },
            "/hello",
            port),
        null,
        user => new HttpRequestMessage(HttpMethod.Post, "/register")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["email"] = $"{user}@example.com", ["password"] = password }),
        },
        HttpStatusCode.OK,
        user => new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["email"] = $"{user}@example.com", ["password"] = password }),
        },
        body => body.GetProperty("accessToken").GetString()!,
        "PBKDF2-HMAC-SHA512 100,000 iterations (Identity's default)",
        () => VerifyTime.Pbkdf2Sha512(100_000, password, samples: 9));

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
