using System.Globalization;
using System.Text.Json.Nodes;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// <c>deploy/kubernetes/</c>, parsed: no cluster runs here, so these check that the manifests are well-formed and say
/// what README promises (two replicas probed on the management port, sized, non-root, read-only, a grace period above
/// the shutdown timeout; the migration as a Job of the same image; settings split into a ConfigMap and a Secret).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<JsonObject> Manifests = Directory.GetFiles(RepositoryFiles.PathOf("deploy/kubernetes"), "*.yaml")
        .Order(StringComparer.Ordinal)
        .SelectMany(file => YamlDocuments.Parse(File.ReadAllText(file)))
        .ToArray();

    private static JsonObject Kind(string kind) => Manifests.Single(manifest => manifest["kind"]!.GetValue<string>() == kind);

    private static JsonObject Deployment => Kind("Deployment");

    private static JsonObject Pod(JsonObject workload) => workload["spec"]!["template"]!["spec"]!.AsObject();

    private static JsonObject Container(JsonObject workload) => Pod(workload)["containers"]!.AsArray().Single()!.AsObject();

    private static int Number(JsonNode? node) => int.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public void Every_manifest_is_a_named_object_of_a_known_kind()
    {
        Manifests.Select(manifest => $"{manifest["apiVersion"]} {manifest["kind"]} {manifest["metadata"]!["name"]}").ShouldBe(
        [
            "v1 ConfigMap userservices-config",
            "apps/v1 Deployment userservices",
            "batch/v1 Job userservices-migrate",
            "policy/v1 PodDisruptionBudget userservices",
            "v1 Secret userservices-secrets",
            "v1 Service userservices",
        ]);
    }

    [Fact]
    public void Two_replicas_are_probed_on_the_management_port_the_image_listens_on()
    {
        Number(Deployment["spec"]!["replicas"]).ShouldBe(2);
        var container = Container(Deployment);
        var ports = container["ports"]!.AsArray().ToDictionary(port => port!["name"]!.GetValue<string>(), port => Number(port!["containerPort"]));
        ports.ShouldBe(new Dictionary<string, int> { ["http"] = 8080, ["management"] = 9000 });
        ContainerfileInstructions.Environment("URLS").ShouldEndWith(":8080");
        ContainerfileInstructions.Environment("MANAGEMENT_URLS").ShouldEndWith(":9000");

        string Probe(string probe) => $"{container[probe]!["httpGet"]!["port"]} {container[probe]!["httpGet"]!["path"]}";
        Probe("startupProbe").ShouldBe("management /health/live");
        Probe("livenessProbe").ShouldBe("management /health/live");
        Probe("readinessProbe").ShouldBe("management /health/ready");
    }

    [Fact]
    public void The_pod_gets_longer_to_stop_than_its_pre_stop_pause_and_shutdown_timeout_together()
    {
        var container = Container(Deployment);
        var preStop = Number(container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]);
        var shutdownTimeout = Number(Kind("ConfigMap")["data"]!["DOTNET_SHUTDOWNTIMEOUTSECONDS"]);

        Number(Pod(Deployment)["terminationGracePeriodSeconds"]).ShouldBeGreaterThan(preStop + shutdownTimeout);
    }

    [Fact]
    public void The_service_and_the_migration_run_as_the_image_user_non_root_on_a_read_only_root_with_a_tmp_volume()
    {
        foreach (var workload in new[] { Deployment, Kind("Job") })
        {
            var pod = Pod(workload);
            pod["securityContext"]!["runAsNonRoot"]!.GetValue<string>().ShouldBe("true");
            pod["securityContext"]!["runAsUser"]!.GetValue<string>().ShouldBe(ContainerfileInstructions.User);
            pod["automountServiceAccountToken"]!.GetValue<string>().ShouldBe("false");
            var container = Container(workload);
            container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<string>().ShouldBe("true");
            container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<string>().ShouldBe("false");
            container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(cap => cap!.GetValue<string>()).ShouldBe(["ALL"]);
            var tmp = container["volumeMounts"]!.AsArray().Single(mount => mount!["mountPath"]!.GetValue<string>() == "/tmp")!["name"]!.GetValue<string>();
            pod["volumes"]!.AsArray().Single(volume => volume!["name"]!.GetValue<string>() == tmp)!["emptyDir"].ShouldNotBeNull();
        }
    }

    [Fact]
    public void The_service_requests_and_limits_cpu_and_memory()
    {
        var resources = Container(Deployment)["resources"]!;
        foreach (var resource in new[] { "cpu", "memory" })
        {
            resources["requests"]![resource].ShouldNotBeNull();
            resources["limits"]![resource].ShouldNotBeNull();
        }

        // Above the peak RSS the benchmark measured (239 MB, docs/benchmarks.md).
        resources["limits"]!["memory"]!.GetValue<string>().ShouldBe("512Mi");
        resources["requests"]!["memory"]!.GetValue<string>().ShouldBe("320Mi");
    }

    [Fact]
    public void The_migration_Job_runs_the_image_migrate_command_with_the_service_settings()
    {
        var job = Container(Kind("Job"));
        var service = Container(Deployment);

        job["image"]!.GetValue<string>().ShouldBe(service["image"]!.GetValue<string>());
        job["args"]!.AsArray().Select(arg => arg!.GetValue<string>()).ShouldBe(["migrate"]);
        job["envFrom"]!.ToJsonString().ShouldBe(service["envFrom"]!.ToJsonString());
        Pod(Kind("Job"))["restartPolicy"]!.GetValue<string>().ShouldBe("Never");
        // Its pods are not the service's: neither the Service nor the budget counts them.
        Kind("Job")["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"]!.GetValue<string>().ShouldNotBe("userservices");
    }

    [Fact]
    public void The_Service_and_the_disruption_budget_select_the_Deployment_pods_and_expose_only_the_public_port()
    {
        var labels = Deployment["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString();
        Kind("Service")["spec"]!["selector"]!.ToJsonString().ShouldBe(labels);
        Kind("PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]!.ToJsonString().ShouldBe(labels);
        Deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString().ShouldBe(labels);
        Kind("Service")["spec"]!["ports"]!.AsArray().Select(port => $"{port!["port"]}->{port["targetPort"]}").ShouldBe(["80->http"]);
        Number(Kind("PodDisruptionBudget")["spec"]!["minAvailable"]).ShouldBe(1);
    }

    [Fact]
    public void Settings_are_split_into_a_ConfigMap_and_a_Secret_that_both_workloads_read()
    {
        var config = Kind("ConfigMap")["data"]!.AsObject().Select(setting => setting.Key).ToArray();
        var secret = Kind("Secret")["stringData"]!.AsObject().Select(setting => setting.Key).ToArray();

        secret.ShouldBe(DeploySettings.Secret, ignoreOrder: true);
        config.Intersect(DeploySettings.Secret).ShouldBeEmpty();
        config.Concat(secret).Where(key => !DeploySettings.IsKnown(key)).ShouldBeEmpty();
        Kind("ConfigMap")["data"]!["Database__MigrateOnStartup"]!.GetValue<string>().ShouldBe("false");
        Container(Deployment)["envFrom"]!.AsArray().Select(source => source!.AsObject().Single()).Select(source => $"{source.Key} {source.Value!["name"]}")
            .ShouldBe(["configMapRef userservices-config", "secretRef userservices-secrets"]);
    }
}
