using System.CommandLine;
using UserServices.Api.Database;
using UserServices.Api.Passwords;

namespace UserServices.Api.Commands;

/// <summary>What the program does when started: serve (the default), or one of the operator's commands.</summary>
public static class ServiceCommands
{
    /// <param name="dotEnvFile">The <c>.env</c> file read at start, if any, for the start-up summary.</param>
    public static async Task<int> RunCommandAsync(this WebApplication app, ChosenCommand command, string? dotEnvFile)
    {
        if (command.Serve)
        {
            // Once listening, so that the addresses are the ones bound.
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation("{Summary}", StartupSummary.Describe(app.Services, dotEnvFile)));
            await app.RunAsync();
            return 0;
        }

        // A command does not start the host, but its passwords (admin create, set-password) are hashed where a
        // request's are: on the password threads, which the host would have started.
        await app.Services.GetRequiredService<PasswordWorkers>().StartAsync(CancellationToken.None);
        return await command.Run!(app.Services, CommandConsole.System, CancellationToken.None);
    }

    internal static Command ServeDefinition(Action action)
    {
        var serve = new Command("serve", "Serve the API (what the program does when no command is given).");
        serve.SetAction(_ => action());
        return serve;
    }

    /// <summary><c>migrate</c>: apply migrations and the admin seed, then exit.</summary>
    internal static Command MigrateDefinition(Action<CommandRun> choose)
    {
        var migrate = new Command("migrate", "Apply pending migrations and create the admin account ADMIN_USERNAME, ADMIN_EMAIL and ADMIN_PASSWORD ask for (when missing), then exit.");
        migrate.SetAction(_ => choose(async (services, console, cancellationToken) =>
        {
            await DatabaseMigrator.MigrateAsync(services, cancellationToken);
            services.GetRequiredService<ILogger<DatabaseMigrator>>().LogInformation("Database is up to date.");
            return 0;
        }));
        return migrate;
    }
}
