using UserServices.Api.Database;

namespace UserServices.Api.Configuration;

/// <summary>What `dotnet run -- &lt;command&gt;` can do besides serving.</summary>
public static class Commands
{
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        await app.RunAsync();
        return 0;
    }

    /// <summary><c>migrate</c>: apply migrations and the admin seed, then exit.</summary>
    public static async Task<int> MigrateDatabaseAsync(this WebApplication app)
    {
        await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
        app.Logger.LogInformation("Database is up to date.");
        return 0;
    }
}
