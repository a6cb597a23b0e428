using UserServices.Api.Hosting;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>The settings <c>deploy/</c> hands the service, checked to be ones the service reads and README documents.</summary>
public static class DeploySettings
{
    /// <summary>Settings that are secret: never in a ConfigMap or a committed file's real value.</summary>
    public static readonly string[] Secret = ["DATABASE_URL", "SECRET_KEY", "REDIS_URL", "ADMIN_PASSWORD"];

    /// <summary>
    /// A Python-era name (<see cref="SettingAliases"/>), the runtime's or OpenTelemetry's own variable, or a
    /// <c>Section__Key</c> that README names (as <c>Section__Key</c> or <c>Section:Key</c>): a typo fails here.
    /// </summary>
    public static bool IsKnown(string variable)
    {
        if (SettingAliases.ByVariable.ContainsKey(variable) || variable is "DOTNET_SHUTDOWNTIMEOUTSECONDS" || variable.StartsWith("OTEL_", StringComparison.Ordinal))
        {
            return true;
        }

        var readme = RepositoryFiles.Read("README.md");
        var setting = variable.EndsWith("__0", StringComparison.Ordinal) ? variable[..^3] : variable;
        return setting.Contains("__", StringComparison.Ordinal)
            && (readme.Contains(setting, StringComparison.Ordinal) || readme.Contains(setting.Replace("__", ":", StringComparison.Ordinal), StringComparison.Ordinal));
    }
}
