using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Data;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The real service in-process (WebApplicationFactory), configured the way an operator would: through the
/// same flat settings (DATABASE_URL, SECRET_KEY...) that the environment or .env give it.
/// </summary>
public class UserServicesApp(IReadOnlyDictionary<string, string?> settings, string environment = "Testing")
    : WebApplicationFactory<Program>
{
    public const string SecretKey = "test-secret-key-that-is-long-enough-0123456789";

    /// <summary>Settings every test app starts from; bcrypt at cost 4 keeps the suite fast.</summary>
    public static Dictionary<string, string?> Defaults(string databaseUrl) => new()
    {
        ["DATABASE_URL"] = databaseUrl,
        ["SECRET_KEY"] = SecretKey,
        ["BCRYPT_WORK_FACTOR"] = "4",
        // The suite sends far more logins from one (test) address than any client should; limits get their own tests.
        ["RateLimits:TokenPerClientPerMinute"] = "1000000",
        ["RateLimits:TokenPerUserPerMinute"] = "1000000",
        ["RateLimits:RegisterPerClientPerMinute"] = "1000000",
        // Warnings and errors only: the information lines of dozens of hosts bury a failing test's output.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Runs <paramref name="work"/> against the service's own database context.</summary>
    public async Task<T> WithDbAsync<T>(Func<UserServicesDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<UserServicesDbContext>());
    }

    public async Task<HttpResponseMessage> RegisterAsync(string username, string email, string password) =>
        await CreateClient().PostAsJsonAsync("/user/register", new { username, email, password });

    public async Task<HttpResponseMessage> PostTokenAsync(params (string Key, string Value)[] fields) =>
        await CreateClient().PostAsync("/user/token", new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    public async Task<string> TokenAsync(string username, string password)
    {
        var response = await PostTokenAsync(("username", username), ("password", password));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Registers a user and returns a client that carries that user's bearer token.</summary>
    public async Task<HttpClient> SignedInClientAsync(string username, string password = "correct horse battery")
    {
        (await RegisterAsync(username, $"{username}@example.com", password)).EnsureSuccessStatusCode();
        return BearerClient(await TokenAsync(username, password));
    }

    public HttpClient BearerClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>One PostgreSQL database and one service per test class.</summary>
public class PostgresApp(PostgresServer server) : IAsyncLifetime
{
    private UserServicesApp? _app;

    public PostgresServer Server => server;

    public string DatabaseUrl { get; private set; } = "";

    public UserServicesApp App => _app ?? throw new InvalidOperationException("The fixture is not initialised.");

    public virtual async ValueTask InitializeAsync()
    {
        DatabaseUrl = await server.CreateDatabaseAsync(GetType().Name);
        var settings = UserServicesApp.Defaults(DatabaseUrl);
        Configure(settings);
        _app = CreateApp(settings);
        _ = _app.Server; // start it: migrations run now, not inside the first test
    }

    protected virtual UserServicesApp CreateApp(Dictionary<string, string?> settings) => new(settings);

    /// <summary>Override to change settings for one test class.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
