using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Micro;

// In-process, short job: the repository's central package management would break the project BenchmarkDotNet
// otherwise generates and builds, and a few minutes is the budget of the whole bench run.
// Usage: Micro <artifacts folder>; the GitHub-markdown tables land in <artifacts>/results.
var artifacts = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(Path.GetTempPath(), "userservices-micro");
var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithLaunchCount(1)
    .WithWarmupCount(2)
    .WithIterationCount(6)
    .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250));
var config = ManualConfig.CreateEmpty()
    .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
    .AddLogger(DefaultConfig.Instance.GetLoggers().ToArray())
    .AddExporter(MarkdownExporter.GitHub)
    .AddJob(job)
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.JoinSummary);
var summaries = BenchmarkRunner.Run([typeof(TokenBenchmarks), typeof(PasswordBenchmarks)], config);
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
