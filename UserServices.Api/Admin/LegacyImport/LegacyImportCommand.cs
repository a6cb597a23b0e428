using System.CommandLine;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Database;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary><c>import-legacy --from &lt;DATABASE_URL&gt; [--table users] [--dry-run] [--batch-size 1000]</c>.</summary>
public static class LegacyImportCommand
{
    /// <summary>Every row is in the new database.</summary>
    public const int Complete = 0;

    /// <summary>Nothing was imported: bad arguments, or the source could not be read.</summary>
    public const int Failed = 1;

    /// <summary>The import ran to the end, but some rows are conflicting or rejected (each one was reported).</summary>
    public const int RowsLeftBehind = 2;

    private const string Name = "import-legacy";

    public const string Usage =
        "Usage: import-legacy --from <DATABASE_URL of the Python service's database> [--table users] [--dry-run] [--batch-size 1000]";

    /// <param name="args">The whole command line: <c>args[0]</c> is the command's own name.</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Parse(args, out var problem) is not { } options)
        {
            error.WriteLine($"{Name}: {problem}");
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
            var summary = await new LegacyImporter(services, output).RunAsync(options, cancellationToken);
            return summary.Complete ? Complete : RowsLeftBehind;
        }
        catch (Exception e) when (e is DbException or DbUpdateException)
        {
            // Batches committed before the error stay; running the command again continues where it stopped.
            error.WriteLine($"{Name}: database error, import stopped: {e.Message}");
            return Failed;
        }
    }

    internal static LegacyImportOptions? Parse(string[] args, out string? problem)
    {
        var from = FromOption();
        var table = TableOption();
        var dryRun = new Option<bool>("--dry-run");
        var batchSize = BatchSizeOption();
        // A plain Command rather than a RootCommand: no --help or --version, this is one command of the service's
        // executable. It takes args[0], its own name, as itself.
        var command = new Command(Name) { from, table, dryRun, batchSize };
        // Left to the check below, which names the first unknown argument in the words this command always used.
        command.TreatUnmatchedTokensAsErrors = false;
        // Option validators see only the options that were given.
        command.Validators.Add(result =>
        {
            if (result.GetResult(from) is null)
            {
                result.AddError("--from is required.");
            }
        });

        // Response files off: an argument starting with '@' is a value, not a file to read arguments from.
        var parsed = command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        problem = parsed.UnmatchedTokens is [var unknown, ..] ? $"unknown argument '{unknown}'."
            : parsed.Errors is [var first, ..] ? first.Message
            : null;
        return problem is null
            ? new LegacyImportOptions(parsed.GetRequiredValue(from), parsed.GetRequiredValue(table), parsed.GetValue(dryRun), parsed.GetRequiredValue(batchSize))
            : null;
    }

    private static Option<string> FromOption()
    {
        var option = new Option<string>("--from");
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value))
            {
                result.AddError("--from is required.");
            }
            else if (!DatabaseUrl.TryParse(value, out _, out var urlProblem))
            {
                result.AddError($"--from: {urlProblem}");
            }
        });
        return option;
    }

    private static Option<string> TableOption()
    {
        var option = new Option<string>("--table") { DefaultValueFactory = _ => LegacyImportOptions.DefaultTable };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!LegacySourceReader.IsTableName(value))
            {
                result.AddError($"--table '{value}' is not a table name (letters, digits and '_', optionally schema.table).");
            }
        });
        return option;
    }

    private static Option<int> BatchSizeOption() => new("--batch-size")
    {
        DefaultValueFactory = _ => LegacyImportOptions.DefaultBatchSize,
        CustomParser = result =>
        {
            if (int.TryParse(result.Tokens.Single().Value, out var size) && size >= 1)
            {
                return size;
            }

            result.AddError("--batch-size must be a whole number of at least 1.");
            return 0;
        },
    };
}
