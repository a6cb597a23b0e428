using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using LoadGen;

// The load generator of bench/run.sh: starts the service itself (to time start-up), drives each load from this
// second process over loopback, and writes the table to bench/results/<UTC timestamp>.md.
var options = BenchOptions.Parse(args);
var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
Directory.CreateDirectory(options.ResultsDir);
const string Password = "correct horse battery staple 42";
var secretKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
var runId = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var total = Stopwatch.StartNew();

void Say(string message) => Console.WriteLine($"[{total.Elapsed.TotalSeconds,6:F1} s] {message}");

Say($"bcrypt: timing BCrypt.Verify at cost {options.WorkFactor} on one core");
var verifySeconds = BcryptBound.MedianVerifySeconds(options.WorkFactor, Password, samples: 9);
var bound = Environment.ProcessorCount / verifySeconds;
Say($"bcrypt: {verifySeconds * 1000:F1} ms per verify, bound {bound:F2} logins/s on {Environment.ProcessorCount} cores");

Say("migrate: dotnet UserServices.Api.dll migrate");
await ServiceProcess.MigrateAsync(options, secretKey, Path.Combine(options.ResultsDir, $"{stamp}-migrate.log"));

var users = Enumerable.Range(0, options.Users).Select(i => $"b{runId}u{i}").ToArray();
string[] tokens;
PhaseResult live, ready, profile, login, register, flood, profileOpen, floodOpen;
TimeSpan startGated, startOpen;
long? peakGated, peakOpen;

LoadSpec Profile(int connections) => new("GET /user/user", connections, HttpStatusCode.OK, n =>
{
    var request = new HttpRequestMessage(HttpMethod.Get, "/user/user");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[n % tokens.Length]);
    return request;
});
LoadSpec Login(int connections) => new("POST /user/token", connections, HttpStatusCode.OK, n => TokenRequest(users[n % users.Length]));
LoadSpec Get(string path) => new($"GET {path}", 32, HttpStatusCode.OK, _ => new HttpRequestMessage(HttpMethod.Get, path));

await using (var service = await ServiceProcess.StartAsync(options, secretKey, null, Path.Combine(options.ResultsDir, $"{stamp}-service-gated.log")))
{
    startGated = service.StartToReady;
    Say($"service (default gate) ready in {startGated.TotalMilliseconds:F0} ms, pid {service.Pid}");
    tokens = await PrepareUsersAsync(service.BaseAddress);
    Say($"setup: {users.Length} users registered and logged in");

    live = await Phase(service, "/health/live", Get("/health/live"));
    ready = await Phase(service, "/health/ready", Get("/health/ready"));
    profile = await Phase(service, "profile alone", Profile(32));
    login = await Phase(service, "logins alone", Login(4));
    register = await Phase(service, "registrations", new LoadSpec("POST /user/register", 4, HttpStatusCode.Created, n => RegisterRequest($"b{runId}r{n}")));
    flood = await Phase(service, "profile under login flood", Profile(32), Login(32));
    peakGated = service.Status("VmHWM");
}

await using (var service = await ServiceProcess.StartAsync(options, secretKey, 1024, Path.Combine(options.ResultsDir, $"{stamp}-service-open.log")))
{
    startOpen = service.StartToReady;
    Say($"service (gate at 1024) ready in {startOpen.TotalMilliseconds:F0} ms, pid {service.Pid}");
    profileOpen = await Phase(service, "profile alone (gate off)", Profile(32));
    floodOpen = await Phase(service, "profile under login flood (gate off)", Profile(32), Login(32));
    peakOpen = service.Status("VmHWM");
}

var report = new Report(options, stamp, loadBefore, File.ReadAllText("/proc/loadavg").Trim(), total.Elapsed, verifySeconds, bound)
{
    Live = live,
    Ready = ready,
    Profile = profile,
    Login = login,
    Register = register,
    Flood = flood,
    ProfileOpen = profileOpen,
    FloodOpen = floodOpen,
    StartGated = startGated,
    StartOpen = startOpen,
    PeakGatedKb = peakGated,
    PeakOpenKb = peakOpen,
};
var markdown = report.Render();
var path = Path.Combine(options.ResultsDir, $"{stamp}.md");
await File.WriteAllTextAsync(path, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Say($"written to {path}");
return report.AllPassed ? 0 : 3;

async Task<PhaseResult> Phase(ServiceProcess service, string name, params LoadSpec[] loads)
{
    var result = await Load.RunAsync(service, options.Warmup, options.Measure, loads);
    Say($"{name}: {string.Join("; ", result.Loads.Select(l => $"{l.Name} {l.PerSecond:F1}/s p50 {l.P50Ms:F1} ms p99 {l.P99Ms:F1} ms, {l.Errors} errors"))}");
    return result;
}

HttpRequestMessage TokenRequest(string userName) => new(HttpMethod.Post, "/user/token")
{
    Content = new FormUrlEncodedContent([new("username", userName), new("password", Password)]),
};

HttpRequestMessage RegisterRequest(string userName) => new(HttpMethod.Post, "/user/register")
{
    Content = JsonContent.Create(new Dictionary<string, string>
    {
        ["username"] = userName,
        ["email"] = $"{userName}@example.com",
        ["password"] = Password,
    }),
};

// The pool the profile and login loads use: registered, then logged in once each for a bearer token.
async Task<string[]> PrepareUsersAsync(Uri baseAddress)
{
    using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
    var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4 };
    await Parallel.ForEachAsync(users, parallel, async (user, cancellationToken) =>
    {
        using var response = await client.SendAsync(RegisterRequest(user), cancellationToken);
        Expect(response, HttpStatusCode.Created, $"registering {user}");
    });
    var issued = new string[users.Length];
    await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), parallel, async (i, cancellationToken) =>
    {
        using var response = await client.SendAsync(TokenRequest(users[i]), cancellationToken);
        Expect(response, HttpStatusCode.OK, $"logging in {users[i]}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        issued[i] = body.RootElement.GetProperty("access_token").GetString()!;
    });
    return issued;
}

static void Expect(HttpResponseMessage response, HttpStatusCode expected, string what)
{
    if (response.StatusCode != expected)
    {
        throw new InvalidOperationException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
    }
}
