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
