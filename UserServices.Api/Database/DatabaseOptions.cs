using Microsoft.Extensions.Options;

namespace UserServices.Api.Database;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>DATABASE_URL. Unset means the embedded SQLite file at <see cref="SqlitePath"/>.</summary>
    public string? Url { get; set; }

    public string SqlitePath { get; set; } = "userservices.db";

    /// <summary>Apply pending migrations (and the admin seed) when the service starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public DatabaseUrl Connection => string.IsNullOrWhiteSpace(Url)
        ? new DatabaseUrl(DatabaseProvider.Sqlite, $"Data Source={SqlitePath}")
        : DatabaseUrl.Parse(Url);
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            return string.IsNullOrWhiteSpace(options.SqlitePath)
                ? ValidateOptionsResult.Fail("Set DATABASE_URL (postgresql://user:password@host:port/database) or Database:SqlitePath.")
                : ValidateOptionsResult.Success;
        }

        return DatabaseUrl.TryParse(options.Url, out _, out var error)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(error!);
    }
}
