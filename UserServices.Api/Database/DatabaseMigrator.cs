using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Data;

namespace UserServices.Api.Database;

/// <summary>Brings the schema up to date (and runs the admin seed) before the service takes requests.</summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = options.Value.Connection;
        logger.LogInformation("Database: {Provider} ({Connection})", connection.Provider, connection.Describe());
        if (options.Value.MigrateOnStartup)
        {
            await MigrateAsync(services, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        if (services.GetRequiredService<DatabaseUrl>().Provider == DatabaseProvider.Sqlite)
        {
            await SqliteMigrationLock.ClearIfStaleAsync(db, services.GetRequiredService<ILogger<DatabaseMigrator>>(), cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
