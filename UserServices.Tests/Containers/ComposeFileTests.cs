using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// <c>deploy/compose.yaml</c>, parsed as compose reads it (anchors and merge keys applied): there is no registry
/// here to pull PostgreSQL and Redis from, so it is checked, not run (README says so).
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly JsonObject Compose = YamlDocuments.ParseSingle(RepositoryFiles.Read("deploy/compose.yaml"));

    private static JsonObject Service(string name) => Compose["services"]![name]!.AsObject();

    [Fact]
    public void The_service_starts_after_healthy_PostgreSQL_and_Redis_and_a_migrate_that_exited_0()
    {
        Compose["services"]!.AsObject().Select(service => service.Key).ShouldBe(["postgres", "redis", "migrate", "userservices"], ignoreOrder: true);
        Service("postgres")["image"]!.GetValue<string>().ShouldStartWith("docker.io/library/postgres:");
        Service("redis")["image"]!.GetValue<string>().ShouldStartWith("docker.io/library/redis:");
        Service("postgres")["healthcheck"]!["test"]!.AsArray().Select(part => part!.GetValue<string>()).ShouldContain("pg_isready");
        Service("redis")["healthcheck"]!["test"]!.AsArray().Select(part => part!.GetValue<string>()).ShouldBe(["CMD", "redis-cli", "ping"]);

        Conditions("userservices").ShouldBe(new Dictionary<string, string>
        {
            ["postgres"] = "service_healthy",
            ["redis"] = "service_healthy",
            ["migrate"] = "service_completed_successfully",
        });
        Conditions("migrate").ShouldBe(new Dictionary<string, string> { ["postgres"] = "service_healthy" });
        Service("migrate")["command"]!.AsArray().Select(part => part!.GetValue<string>()).ShouldBe(["migrate"]);
        Service("migrate")["restart"]!.GetValue<string>().ShouldBe("no");
    }

    [Fact]
    public void Migrate_and_the_service_run_the_image_built_from_the_Containerfile_read_only_with_the_same_settings()
    {
        foreach (var name in new[] { "migrate", "userservices" })
        {
            var service = Service(name);
            service["build"]!["context"]!.GetValue<string>().ShouldBe("..");
            service["build"]!["dockerfile"]!.GetValue<string>().ShouldBe("Containerfile");
            service["read_only"]!.GetValue<string>().ShouldBe("true");
            service["tmpfs"]!.AsArray().Select(path => path!.GetValue<string>()).ShouldBe(["/tmp"]);
            service["cap_drop"]!.AsArray().Select(cap => cap!.GetValue<string>()).ShouldBe(["ALL"]);
            Settings(name)["Database__MigrateOnStartup"].ShouldBe("false");
        }

        Settings("migrate").ShouldBe(Settings("userservices"));
        Settings("userservices").Keys.Where(key => !DeploySettings.IsKnown(key)).ShouldBeEmpty();
        Settings("userservices").Keys.ShouldBeSubsetOf(["DATABASE_URL", "SECRET_KEY", "REDIS_URL", "PUBLIC_BASE_URL", "ADMIN_USERNAME", "ADMIN_EMAIL", "ADMIN_PASSWORD", "Database__MigrateOnStartup"]);
        Settings("userservices")["DATABASE_URL"].ShouldStartWith("postgresql://userservices:${POSTGRES_PASSWORD:?");
        Settings("userservices")["DATABASE_URL"].ShouldEndWith("@postgres:5432/userservices");
        Settings("userservices")["REDIS_URL"].ShouldEndWith("@redis:6379/0");
    }

    [Fact]
    public void The_service_publishes_only_8080_probes_itself_as_the_image_does_and_gets_longer_than_the_shutdown_timeout_to_stop()
    {
        var service = Service("userservices");
        service["ports"]!.AsArray().Select(port => port!.GetValue<string>()).ShouldBe(["127.0.0.1:${USERSERVICES_PORT:-8080}:8080"]);
        service["healthcheck"]!["test"]!.AsArray().Select(part => part!.GetValue<string>())
            .ShouldBe(["CMD", .. ContainerfileInstructions.HealthCheckCommand]);
        // SIGTERM, then DOTNET_SHUTDOWNTIMEOUTSECONDS (30 s by default) for requests in flight, then the kill.
        var grace = service["stop_grace_period"]!.GetValue<string>();
        grace.ShouldEndWith("s");
        int.Parse(grace[..^1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(30);
    }

    [Fact]
    public void Every_variable_the_compose_file_reads_from_env_is_listed_in_its_env_example()
    {
        var used = Variable().Matches(RepositoryFiles.Read("deploy/compose.yaml")).Select(match => match.Groups[1].Value).ToHashSet();
        var listed = RepositoryFiles.Read("deploy/.env.example").Split('\n')
            .Select(line => line.TrimStart('#', ' '))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.Contains(' ', StringComparison.Ordinal))
            .Select(line => line.Split('=')[0])
            .ToHashSet();

        used.ShouldBe(["POSTGRES_PASSWORD", "SECRET_KEY", "REDIS_PASSWORD", "PUBLIC_BASE_URL", "ADMIN_USERNAME", "ADMIN_EMAIL", "ADMIN_PASSWORD", "USERSERVICES_IMAGE", "USERSERVICES_PORT"], ignoreOrder: true);
        used.Where(variable => !listed.Contains(variable)).ShouldBeEmpty();
    }

    private static Dictionary<string, string> Conditions(string service) =>
        Service(service)["depends_on"]!.AsObject().ToDictionary(dependency => dependency.Key, dependency => dependency.Value!["condition"]!.GetValue<string>());

    private static Dictionary<string, string> Settings(string service) =>
        Service(service)["environment"]!.AsObject().ToDictionary(setting => setting.Key, setting => setting.Value!.GetValue<string>());

    [GeneratedRegex(@"\$\{([A-Z_]+)")]
    private static partial Regex Variable();
}
