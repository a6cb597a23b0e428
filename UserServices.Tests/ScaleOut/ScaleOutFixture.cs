using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.ScaleOut;

/// <summary>
/// What "Running several replicas" in the README describes, on loopback: a PostgreSQL cluster of its own (the
/// tests stop and start it), Redis, the database migrated once by <c>migrate</c>, three replicas of the built service
/// with migrations at start off, the same signing key and 127.0.0.1 as their trusted proxy, and nginx with
/// <c>deploy/nginx.conf</c> in front. Clients reach nginx from distinct loopback addresses (127.1.x.y), so that
/// each test is its own client for the per-address limits.
/// </summary>
public class ScaleOutFixture : IAsyncLifetime
{
    public const int TokenPerClientPerMinute = 10;
    public const int TokenPerUserPerMinute = 20;
    public const int MaxFailedAttempts = 5;
    public const string Password = "correct horse battery";

    private readonly List<ServingApiProcess> _replicas = [];
    private int _addressCounter;

    public PostgresCluster Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public NginxServer Nginx { get; private set; } = null!;

    public IReadOnlyList<ServingApiProcess> Replicas => _replicas;

    public virtual async ValueTask InitializeAsync()
    {
        Postgres = await PostgresCluster.StartAsync();
        await Postgres.CreateDatabaseAsync("scaleout");
        Redis = await RedisServer.StartNewAsync();
        var settings = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Postgres.Port};Username=postgres;Database=scaleout"),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
            ["REDIS_URL"] = Redis.Url,
            ["RateLimits__TokenPerClientPerMinute"] = TokenPerClientPerMinute.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__TokenPerUserPerMinute"] = TokenPerUserPerMinute.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__RegisterPerClientPerMinute"] = "10",
            ["RateLimits__TrustedProxies__0"] = "127.0.0.1",
            ["Lockout__MaxFailedAttempts"] = MaxFailedAttempts.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__UserServices.Api.RateLimits"] = "Information",
            // As the README says: migrate once, then replicas that do not race to migrate.
            ["Database__MigrateOnStartup"] = "false",
        };

        var migrated = await ApiProcess.RunAsync(settings, "migrate");
        migrated.ExitCode.ShouldBe(0, migrated.ToString());
        _replicas.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ServingApiProcess.StartAsync(settings))));
        Nginx = await NginxServer.StartAsync(_replicas.Select(replica => replica.Port).ToList());
    }

    /// <summary>A client of nginx connecting from a loopback address no other client of this fixture uses.</summary>
    public HttpClient ThroughProxy() => ThroughProxyFrom(NextAddress());

    public HttpClient ThroughProxyFrom(IPAddress source)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Nginx.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// A client of one replica directly, speaking for a client address of its own the way nginx does (the replica
    /// trusts 127.0.0.1's X-Forwarded-For): to be sure which replica answers.
    /// </summary>
    public HttpClient Direct(int replica)
    {
        var client = new HttpClient { BaseAddress = _replicas[replica].Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", NextAddress().ToString());
        return client;
    }

    /// <summary>What the replicas printed, for a failing assertion's message.</summary>
    public string Outputs() => string.Join("\n", _replicas.Select((replica, i) => $"--- replica {i}\n{string.Join('\n', replica.Output.TakeLast(40))}"));

    public IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref _addressCounter);
        return new IPAddress([127, 1, (byte)(n / 250), (byte)(1 + (n % 250))]);
    }

    public static FormUrlEncodedContent Login(string username, string password) =>
        new([KeyValuePair.Create("username", username), KeyValuePair.Create("password", password)]);

    public static FormUrlEncodedContent Refresh(string refreshToken) =>
        new([KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", refreshToken)]);

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string username) =>
        client.PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password });

    /// <summary>Registers through nginx and signs in through nginx.</summary>
    public async Task<SignIn> RegisterAndSignInAsync(string username)
    {
        using var client = ThroughProxy();
        (await RegisterAsync(client, username)).StatusCode.ShouldBe(HttpStatusCode.Created, Outputs());
        var token = await client.PostAsync("/user/token", Login(username, Password));
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await token.ReadJsonAsync();
        return new SignIn(body.Str("access_token"), body.Str("refresh_token"));
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        await Task.WhenAll(_replicas.Select(replica => replica.DisposeAsync().AsTask()));
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
