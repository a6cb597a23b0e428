using UserServices.Api.Admin.LegacyImport;
using UserServices.Api.Database;

namespace UserServices.Api.Commands;

/// <summary>What the program does when started: serve (the default), or one of the operator's commands.</summary>
public static class ServiceCommands
{
    public static async Task<int> RunCommandAsync(this WebApplication app, string[] args) => args.FirstOrDefault() switch
    {
        "migrate" => await MigrateAsync(app),
        "admin" => await AdminCommand.RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None),
        "import-legacy" => await LegacyImportCommand.RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None),
        _ => await ServeAsync(app),
    };

    private static async Task<int> ServeAsync(WebApplication app)
    {
        await app.RunAsync();
        return 0;
    }

    /// <summary><c>migrate</c>: apply migrations and the admin seed, then exit.</summary>
    private static async Task<int> MigrateAsync(WebApplication app)
    {
        await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
        app.Logger.LogInformation("Database is up to date.");
        return 0;
    }
}
