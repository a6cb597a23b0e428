using System.Data.Common;
using Microsoft.Extensions.Options;
using UserServices.Api.Database;

namespace UserServices.Api.Admin;

/// <summary><c>import-legacy --from &lt;DATABASE_URL&gt; [--table users] [--dry-run] [--batch-size 1000]</c>.</summary>
public static class LegacyImportCommand
{
    /// <summary>Every row is in the new database.</summary>
    public const int Complete = 0;

    /// <summary>Nothing was imported: bad arguments, or the source could not be read.</summary>
    public const int Failed = 1;

    /// <summary>The import ran to the end, but some rows are conflicting or rejected (each one was reported).</summary>
    public const int RowsLeftBehind = 2;

    public const string Usage =
        "Usage: import-legacy --from <DATABASE_URL of the Python service's database> [--table users] [--dry-run] [--batch-size 1000]";

    public static Task<int> ImportLegacyUsersAsync(this WebApplication app, string[] args) =>
        RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Parse(args, out var problem) is not { } options)
        {
            error.WriteLine($"import-legacy: {problem}");
            error.WriteLine(Usage);
            return Failed;
        }

        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            // The same schema step the service takes at start, so an empty database can be imported into.
            await DatabaseMigrator.MigrateAsync(services, cancellationToken);
        }

        try
        {
            var summary = await new LegacyImport(services, output).RunAsync(options, cancellationToken);
            return summary.Complete ? Complete : RowsLeftBehind;
        }
        catch (DbException e)
        {
            // Batches committed before the error stay; running the command again continues where it stopped.
            error.WriteLine($"import-legacy: database error, import stopped: {e.Message}");
            return Failed;
        }
    }

    internal static LegacyImportOptions? Parse(string[] args, out string? problem)
    {
        string? from = null;
        var table = LegacyImportOptions.DefaultTable;
        var batchSize = LegacyImportOptions.DefaultBatchSize;
        var dryRun = false;
        problem = null;
        // args[0] is the command name itself.
        for (var i = 1; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string? Value() => inline ?? (i + 1 < args.Length ? args[++i] : null);
            switch (name)
            {
                case "--from":
                    from = Value();
                    break;
                case "--table":
                    table = Value() ?? "";
                    break;
                case "--batch-size":
                    if (!int.TryParse(Value(), out batchSize) || batchSize < 1)
                    {
                        problem = "--batch-size must be a whole number of at least 1.";
                        return null;
                    }

                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                default:
                    problem = $"unknown argument '{args[i]}'.";
                    return null;
            }
        }

        if (string.IsNullOrWhiteSpace(from))
        {
            problem = "--from is required.";
            return null;
        }

        if (!DatabaseUrl.TryParse(from, out _, out var urlProblem))
        {
            problem = $"--from: {urlProblem}";
            return null;
        }

        try
        {
            LegacyImport.QuotedTableName(table);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return null;
        }

        return new LegacyImportOptions(from, table, dryRun, batchSize);
    }
}
