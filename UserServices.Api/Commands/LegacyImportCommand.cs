using System.CommandLine;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Admin.LegacyImport;
using UserServices.Api.Database;

namespace UserServices.Api.Commands;

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

    internal static Command Definition(Action<CommandRun> choose)
    {
        var from = FromOption();
        var table = TableOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would happen; write nothing, not even the schema." };
        var batchSize = BatchSizeOption();
        var command = new Command(Name, "Copy the Python service's users (same ids, usernames, emails and bcrypt hashes) into this database.")
        {
            from, table, dryRun, batchSize,
        };
        command.SetAction(parsed =>
        {
            var options = new LegacyImportOptions(
                parsed.GetRequiredValue(from), parsed.GetRequiredValue(table), parsed.GetValue(dryRun), parsed.GetRequiredValue(batchSize));
            choose((services, console, cancellationToken) => RunAsync(services, options, console.Output, console.Error, cancellationToken));
        });
        return command;
    }

    public static async Task<int> RunAsync(IServiceProvider services, LegacyImportOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // A dry run writes nothing, not even the schema: it reads the target as it is (LegacyImporter).
        if (!options.DryRun && services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
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

    private static Option<string> FromOption()
    {
        var option = new Option<string>("--from")
        {
            Description = "The old service's DATABASE_URL (postgresql+psycopg://…, postgresql://…, Host=…, sqlite:///file.db).",
            Required = true,
            HelpName = "DATABASE_URL",
        };
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
        var option = new Option<string>("--table")
        {
            Description = "The old table (schema.table allowed).",
            DefaultValueFactory = _ => LegacyImportOptions.DefaultTable,
        };
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
        Description = "Rows per transaction.",
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
