using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using UserServices.Data;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The real service, configured the way an operator would (the same flat settings — DATABASE_URL, SECRET_KEY... —
/// that the environment or .env give it), in-process or on real Kestrel. Start it with <see cref="Start"/>.
/// Two test-side instruments are always in: every log line it writes is captured in <see cref="Logs"/>, and a
/// request can say which client address it comes from with <see cref="PeerHeader"/>.
/// </summary>
public class UserServicesApp(
    IReadOnlyDictionary<string, string?> settings,
    string environment = "Testing",
    Action<IServiceCollection>? testServices = null) : WebApplicationFactory<Program>
{
    public const string SecretKey = "test-secret-key-that-is-long-enough-0123456789";

    /// <summary>Stands in for the TCP peer address; the in-memory server has no network peer to vary.</summary>
    public const string PeerHeader = "X-Test-Peer";

    private Uri? _kestrelAddress;

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
        ["RateLimits:MailPerClientPerMinute"] = "1000000",
        ["RateLimits:MailPerAddressPerHour"] = "1000000",
        // Warnings and errors only: the information lines of dozens of hosts bury a failing test's output.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// Starts the service, so that migrations and start-up checks run here rather than inside a test's first request;
    /// a start that fails throws. On Kestrel it listens at <c>http://127.0.0.1:&lt;free port&gt;</c> for clients
    /// outside the process (a browser, another service), which cannot reach the in-memory server.
    /// </summary>
    /// <param name="testServices">Runs after the service's own registrations, to wrap one of its parts.</param>
    /// <param name="port">On Kestrel, a port chosen by the caller; 0 lets the OS choose.</param>
    public static UserServicesApp Start(
        IReadOnlyDictionary<string, string?> settings,
        string environment = "Testing",
        bool onKestrel = false,
        Action<IServiceCollection>? testServices = null,
        int port = 0)
    {
        var app = new UserServicesApp(settings, environment, testServices);
        try
        {
            if (onKestrel)
            {
                // Port 0: the OS hands out a free port at bind time, so there is no window for another process to take it.
                // A fixed port only for a service that must know its own URL before it starts (its OAuth issuer).
                app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            }

            app.StartServer();
            if (onKestrel)
            {
                app._kestrelAddress = new Uri(app.Services.GetRequiredService<IServer>().Features
                    .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
            }

            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>Every line the service logged, at every level.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>Where a client outside the process reaches the service, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _kestrelAddress ?? throw new InvalidOperationException("Only a service started on Kestrel has a network address.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Logs gets every level the service's configuration does not turn down for a category: what must never be
        // logged must not hide below a level. The console keeps to warnings.
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.ConfigureLogging(logging => logging
            .AddProvider(new CapturingProvider(Logs))
            .AddFilter<ConsoleLoggerProvider>(category: null, LogLevel.Warning));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, PeerAddressFilter>());
        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    public HttpClient ClientFrom(string peer)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(PeerHeader, peer);
        return client;
    }

    public HttpClient BearerClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
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

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    /// <summary>The password grant, which must succeed; returns both tokens.</summary>
    public async Task<SignIn> SignInAsync(string username, string password)
    {
        var response = await PostTokenAsync(("username", username), ("password", password));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        return new SignIn(body.Str("access_token"), body.Str("refresh_token"));
    }

    /// <summary>Registers <paramref name="username"/> (at <c>username@example.com</c>), which must succeed, and signs in.</summary>
    public async Task<SignIn> RegisterAndSignInAsync(string username, string password)
    {
        var registered = await RegisterAsync(username, $"{username}@example.com", password);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return await SignInAsync(username, password);
    }

    public async Task<string> TokenAsync(string username, string password) => (await SignInAsync(username, password)).AccessToken;

    /// <summary>Registers a user and returns a client that carries that user's bearer token.</summary>
    public async Task<HttpClient> SignedInClientAsync(string username, string password = "correct horse battery") =>
        BearerClient((await RegisterAndSignInAsync(username, password)).AccessToken);

    private sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Ahead of everything in the service's own pipeline, forwarded headers included.
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
            // Past the service's endpoints: a route that fails the way a bug would, to see how failures look.
            app.Map("/test/throw", branch => branch.Run(_ => throw new InvalidOperationException("secret internal detail")));
        };
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
