using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;
using UserServices.Data;
using UserServices.Data.Seeding;
using UserServices.Data.Users;

namespace UserServices.Api.Database;

public static class DatabaseSetup
{
    /// <summary>PostgreSQL from DATABASE_URL, or an embedded SQLite file; migrations and the admin seed at start.</summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindSettings(DatabaseOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        // Both providers are registered; the one DATABASE_URL names is the one resolved. Each keeps its own
        // migration set, and `dotnet ef` can address either with --context.
        services.AddDbContextPool<PostgresDbContext>((sp, options) =>
            Configure(options.UseNpgsql(ConnectionFor(sp, DatabaseProvider.Postgres)), sp));
        services.AddDbContextPool<SqliteDbContext>((sp, options) =>
            Configure(options.UseSqlite(ConnectionFor(sp, DatabaseProvider.Sqlite)).AddInterceptors(new SqliteBusyTimeout()), sp));
        // Parsed once: the context is resolved on every authenticated request.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Connection);
        services.AddScoped<UserServicesDbContext>(sp =>
            sp.GetRequiredService<DatabaseUrl>().Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresDbContext>()
                : sp.GetRequiredService<SqliteDbContext>());

        services.AddHostedService<DatabaseMigrator>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        return builder;
    }

    private static void Configure(DbContextOptionsBuilder options, IServiceProvider services)
    {
        // Registered by Admin/AdminSeeding.cs; without it, migrations run and nothing is seeded.
        var seeder = services.GetService<AdminSeeder>();
        var upgradeLog = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmailKeyUpgrade));
        var normalizer = new UserLookupNormalizer();

        // EF Core calls the async hook from MigrateAsync and the sync one from `dotnet ef database update`. The email
        // keys first: the admin seed looks its account up by them.
        options.UseAsyncSeeding(async (db, _, cancellationToken) =>
            {
                await EmailKeyUpgrade.RunAsync(db, normalizer, upgradeLog, cancellationToken);
                if (seeder is not null)
                {
                    await seeder.SeedAsync(db, cancellationToken);
                }
            })
            .UseSeeding((db, _) =>
            {
                EmailKeyUpgrade.RunAsync(db, normalizer, upgradeLog, CancellationToken.None).GetAwaiter().GetResult();
                seeder?.Seed(db);
            });
    }

    private static string ConnectionFor(IServiceProvider services, DatabaseProvider provider)
    {
        var connection = services.GetRequiredService<DatabaseUrl>();
        // Design-time tools ask for the other provider's context to add migrations; it needs no real server.
        if (connection.Provider != provider)
        {
            return provider == DatabaseProvider.Postgres ? "Host=localhost" : "Data Source=design-time.db";
        }

        return provider == DatabaseProvider.Postgres ? WithAutoPrepare(connection.ConnectionString) : connection.ConnectionString;
    }

    /// <summary>
    /// The service sends the same few statements all day (the profile lookup above all); prepared once per
    /// connection, PostgreSQL stops re-planning them. And it never leaves state on a connection (no SET, LISTEN,
    /// temporary tables or session advisory locks; an open transaction is still rolled back on return), so a
    /// connection handed back to the pool is not reset: with auto-prepare the reset is seven statements (CLOSE ALL,
    /// DISCARD TEMP, RESET ALL, UNLISTEN *, …) that PostgreSQL ran before every profile call's lookup and four times
    /// per login (docs/benchmarks.md). An operator's own settings in DATABASE_URL win.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!Names(connectionString, "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether the connection string itself sets <paramref name="setting"/> (written with or without spaces).</summary>
    private static bool Names(string connectionString, string setting) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals(setting, StringComparison.OrdinalIgnoreCase));
}
