using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// The image built from the repository's <c>Containerfile</c>, run with podman the way README's "Containers and
/// Kubernetes" runs it: <c>migrate</c> as a one-off container (the Kubernetes Job), then the service against the
/// tests' PostgreSQL, or alone on SQLite with a volume at <c>/data</c>; always on a read-only root filesystem.
/// </summary>
[Collection(ContainerGroup.Name)]
public sealed class ContainerImageTests(ServiceImageFixture image, PostgresServer server)
{
    private const string Password = "correct horse battery";
    private const string AppUid = "1654";

    [Fact]
    public async Task Migrate_then_serve_answers_the_curl_flow_on_8080_and_the_probes_on_9000()
    {
        var settings = await PostgresSettingsAsync();
        var migrate = await Podman.RunAsync(TimeSpan.FromMinutes(3), ["run", "--rm", .. ServiceContainer.RunOptions(settings), image.Image, "migrate"]);
        migrate.ExitCode.ShouldBe(0, migrate.ToString());
        migrate.StandardOutput.ShouldContain("Database is up to date.", Case.Sensitive, migrate.ToString());

        settings["Database__MigrateOnStartup"] = "false";
        await using var container = await ServiceContainer.StartAsync(image.Image, settings);
        using var api = new HttpClient { BaseAddress = container.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var management = new HttpClient { BaseAddress = container.ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };

        var userId = await RegisterAsync(api, "alice");
        var token = await TokenAsync(api, "alice");
        using var profileRequest = new HttpRequestMessage(HttpMethod.Get, "/user/user");
        profileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var profile = await api.SendAsync(profileRequest);
        profile.StatusCode.ShouldBe(HttpStatusCode.OK, await profile.Content.ReadAsStringAsync());
        (await profile.Content.ReadAsStringAsync()).ShouldBe($$"""{"username":"alice","email":"alice@example.com","id":{{userId}}}""");

        var ready = await management.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        (await management.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The HEALTHCHECK the image declares, run by podman as a container engine runs it: the program's own probe.
        (await Podman.OutputAsync("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", image.Image))
            .ShouldBe("""["CMD","dotnet","/app/UserServices.Api.dll","probe","http://127.0.0.1:9000/health/ready"]""");
        var health = await Podman.RunAsync("healthcheck", "run", container.Name);
        health.ExitCode.ShouldBe(0, health.ToString());

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"image {image.SizeBytes / 1e6:F0} MB; bases ready after {image.BasesTook.TotalSeconds:F0} s, image built in {image.BuildTook.TotalSeconds:F0} s; podman run → /health/ready 200 in {container.StartedToReady.TotalSeconds:F1} s"));
    }

    [Fact]
    public async Task The_service_runs_as_uid_1654_on_a_read_only_root_and_podman_stop_ends_it_with_exit_0()
    {
        await using var container = await ServiceContainer.StartAsync(image.Image, await PostgresSettingsAsync());
        var pid = await container.HostPidAsync();

        // Facts of the running process, read from this machine's /proc: no tool inside the image is needed.
        var ids = (await File.ReadAllLinesAsync($"/proc/{pid}/status")).Where(line => line.StartsWith("Uid:", StringComparison.Ordinal) || line.StartsWith("Gid:", StringComparison.Ordinal));
        ids.Select(line => line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..].Distinct().Single()).ShouldBe([AppUid, AppUid]);
        var mounts = (await File.ReadAllLinesAsync($"/proc/{pid}/mountinfo")).Select(line => line.Split(' ')).ToDictionary(fields => fields[4], fields => fields[5].Split(','));
        mounts["/"].ShouldContain("ro");
        mounts["/tmp"].ShouldContain("rw");

        var (exitCode, took) = await container.StopAsync();

        exitCode.ShouldBe(0, await container.LogsAsync());
        took.ShouldBeLessThan(TimeSpan.FromSeconds(30), await container.LogsAsync());
        (await container.LogsAsync()).ShouldContain("Application is shutting down...");
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"podman stop → exit {exitCode} after {took.TotalSeconds:F1} s"));
    }

    [Fact]
    public async Task Without_DATABASE_URL_accounts_live_in_SQLite_on_the_data_volume_and_outlive_the_container()
    {
        var volume = $"userservices-test-{Guid.NewGuid().ToString("N")[..12]}";
        await Podman.OutputAsync("volume", "create", volume);
        try
        {
            var settings = new Dictionary<string, string> { ["SECRET_KEY"] = UserServicesApp.SecretKey, ["BCRYPT_WORK_FACTOR"] = "4" };
            await using (var first = await ServiceContainer.StartAsync(image.Image, settings, "--volume", $"{volume}:/data"))
            {
                using var api = new HttpClient { BaseAddress = first.Address, Timeout = TimeSpan.FromSeconds(30) };
                await RegisterAsync(api, "bob");
                (await first.StopAsync()).ExitCode.ShouldBe(0);
            }

            await using var second = await ServiceContainer.StartAsync(image.Image, settings, "--volume", $"{volume}:/data");
            using var again = new HttpClient { BaseAddress = second.Address, Timeout = TimeSpan.FromSeconds(30) };
            (await TokenAsync(again, "bob")).ShouldNotBeNullOrEmpty();
            (await second.LogsAsync()).ShouldContain("Database: Sqlite (/data/userservices.db)");
        }
        finally
        {
            await Podman.RunAsync("volume", "rm", "--force", volume);
        }
    }

    /// <summary>A database of its own on the tests' PostgreSQL, addressed as the container reaches this machine.</summary>
    private async Task<Dictionary<string, string>> PostgresSettingsAsync()
    {
        var url = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync(nameof(ContainerImageTests)));
        if (url.Host is "127.0.0.1" or "localhost")
        {
            url.Host = ServiceContainer.HostLoopback;
        }

        return new Dictionary<string, string>
        {
            ["DATABASE_URL"] = url.ConnectionString,
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
        };
    }

    private static async Task<int> RegisterAsync(HttpClient api, string username)
    {
        var response = await api.PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        response.Headers.Location.ShouldBe(new Uri("/user/user", UriKind.Relative));
        using var body = JsonDocument.Parse(text);
        body.RootElement.PropertyNames().ShouldBe(["username", "email", "id"]);
        body.RootElement.Str("username").ShouldBe(username);
        return body.RootElement.GetProperty("id").GetInt32();
    }

    private static async Task<string> TokenAsync(HttpClient api, string username)
    {
        var response = await api.PostAsync("/user/token", new FormUrlEncodedContent([KeyValuePair.Create("username", username), KeyValuePair.Create("password", Password)]));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        using var body = JsonDocument.Parse(text);
        body.RootElement.Str("token_type").ShouldBe("bearer");
        body.RootElement.GetProperty("expires_in").GetInt32().ShouldBe(1800);
        return body.RootElement.Str("access_token");
    }
}
