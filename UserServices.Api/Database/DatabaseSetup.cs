using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Auth;
using UserServices.Data;
using UserServices.Data.Seeding;
using UserServices.Data.Users;

namespace UserServices.Api.Database;

public static class DatabaseSetup
{
    /// <summary>PostgreSQL from DATABASE_URL, or an embedded SQLite file; migrations and the admin seed at start.</summary>
    public static WebApplicationBuilder AddUserServicesDatabase(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.Url = configuration["DATABASE_URL"] ?? options.Url)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton(sp => new AdminSeeder(
            sp.GetRequiredService<IOptions<AdminAccountOptions>>().Value.ToAccount(),
            sp.GetRequiredService<IPasswordHasher<User>>(),
            new UpperInvariantLookupNormalizer(),
            sp.GetRequiredService<PasswordPolicy>().Problems,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AdminSeeder>()));
        services.AddOptions<AdminAccountOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.UserName = configuration["ADMIN_USERNAME"];
            options.Email = configuration["ADMIN_EMAIL"];
            options.Password = configuration["ADMIN_PASSWORD"];
        });

        // Both providers are registered; the one DATABASE_URL names is the one resolved. Each keeps its own
        // migration set, and `dotnet ef` can address either with --context.
        services.AddDbContextPool<PostgresDbContext>((sp, options) =>
            Configure(options.UseNpgsql(ConnectionFor(sp, DatabaseProvider.Postgres)), sp));
        services.AddDbContextPool<SqliteDbContext>((sp, options) =>
            Configure(options.UseSqlite(ConnectionFor(sp, DatabaseProvider.Sqlite)), sp));
        // Parsed once: the context is resolved on every authenticated request.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Connection);
        services.AddScoped<UserServicesDbContext>(sp =>
            sp.GetRequiredService<DatabaseUrl>().Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresDbContext>()
                : sp.GetRequiredService<SqliteDbContext>());

        services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    private static void Configure(DbContextOptionsBuilder options, IServiceProvider services)
    {
        var seeder = services.GetRequiredService<AdminSeeder>();
        // EF Core calls the async hook from MigrateAsync and the sync one from `dotnet ef database update`.
        options.UseAsyncSeeding((db, _, cancellationToken) => seeder.SeedAsync(db, cancellationToken))
            .UseSeeding((db, _) => seeder.Seed(db));
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
    /// connection, PostgreSQL stops re-planning them. An operator's own setting in DATABASE_URL wins.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}

public sealed class AdminAccountOptions
{
    public string? UserName { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }

    public AdminAccount ToAccount() => new(UserName, Email, Password);
}
