using System.Globalization;

namespace LoadGen;

/// <summary>Command-line settings: <c>--name value</c> pairs; bench/run.sh passes them through.</summary>
/// <param name="SeedDir">The Python peer's folder, already set up by its start.sh; none: the peers run skips it.</param>
/// <param name="IdentityDir">The identity-api peer's folder, already built by its start.sh; none: skipped.</param>
/// <param name="IdentityDatabase">The identity-api peer's connection string (its ConnectionStrings:Default).</param>
/// <param name="RedisUrl">A Redis for a third service run with REDIS_URL set (rate limits counted there); none: not measured.</param>
internal sealed record BenchOptions(
    string ApiDll,
    string DatabaseUrl,
    string ResultsDir,
    string? PidFile,
    string? MicroReport,
    string CommandLine,
    TimeSpan Warmup,
    TimeSpan Measure,
    int Users,
    int WorkFactor,
    string Python,
    string? SeedDir,
    string? IdentityDir,
    string? IdentityDatabase,
    string? RedisUrl = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected `--name value`, got `{args[i]}`.");
            }

            values[args[i][2..]] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"--{name} is required.");
        double Number(string name, double fallback) => values.TryGetValue(name, out var value)
            ? double.Parse(value, CultureInfo.InvariantCulture)
            : fallback;
        string? Folder(string name) => values.TryGetValue(name, out var value) ? Path.GetFullPath(value) : null;

        var options = new BenchOptions(
            ApiDll: Path.GetFullPath(Required("api-dll")),
            DatabaseUrl: Required("database-url"),
            ResultsDir: Path.GetFullPath(values.GetValueOrDefault("results-dir") ?? "bench/results"),
            PidFile: values.GetValueOrDefault("pid-file"),
            MicroReport: values.GetValueOrDefault("micro-report"),
            CommandLine: values.GetValueOrDefault("command") ?? "bash bench/run.sh",
            Warmup: TimeSpan.FromSeconds(Number("warmup", 3)),
            Measure: TimeSpan.FromSeconds(Number("measure", 10)),
            Users: (int)Number("users", 32),
            WorkFactor: (int)Number("work-factor", 12),
            Python: values.GetValueOrDefault("python") ?? "/usr/bin/python3",
            SeedDir: Folder("seed-dir"),
            IdentityDir: Folder("identity-dir"),
            IdentityDatabase: values.GetValueOrDefault("identity-database"),
            RedisUrl: values.GetValueOrDefault("redis-url"));
        if (options.Measure <= TimeSpan.Zero || options.Warmup < TimeSpan.Zero || options.Users < 1)
        {
            throw new ArgumentException("--measure must be > 0, --warmup >= 0 and --users >= 1.");
        }

        if (options.IdentityDir is not null && options.IdentityDatabase is null)
        {
            throw new ArgumentException("--identity-dir needs --identity-database.");
        }

        return options;
    }
}
