using System.Text.Json;
using System.Text.RegularExpressions;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Containers;

/// <summary>
/// What the repository's <c>Containerfile</c> declares for the runtime stage, read from the file itself so that the
/// compose file and the Kubernetes manifests are checked against it rather than against a copy in a test.
/// </summary>
public static partial class ContainerfileInstructions
{
    private static readonly Lazy<string[]> Instructions = new(() =>
        ContinuedLine().Replace(RepositoryFiles.Read("Containerfile"), " ")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToArray());

    /// <summary>The numeric user of <c>USER uid:gid</c>.</summary>
    public static string User => Last("USER ").Split(':')[0];

    /// <summary>The command of <c>HEALTHCHECK … CMD [...]</c>, in its exec form.</summary>
    public static string[] HealthCheckCommand =>
        JsonSerializer.Deserialize<string[]>(Last("HEALTHCHECK ")[(Last("HEALTHCHECK ").IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!;

    /// <summary>The value an <c>ENV</c> instruction gives <paramref name="name"/>.</summary>
    public static string Environment(string name) =>
        Instructions.Value.Where(line => line.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(line => line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .Last(pair => pair[0] == name)[1];

    private static string Last(string instruction) => Instructions.Value.Last(line => line.StartsWith(instruction, StringComparison.Ordinal))[instruction.Length..];

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex ContinuedLine();
}
