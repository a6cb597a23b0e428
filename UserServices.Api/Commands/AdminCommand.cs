using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Api.Admin;
using UserServices.Api.Audit;
using UserServices.Api.Database;
using UserServices.Data.Users;

namespace UserServices.Api.Commands;

/// <summary>
/// <c>admin grant|revoke|unlock USERNAME</c>: give or take the admin role, or unlock an account, from the machine the
/// service runs on — for the day no admin can sign in. Audited with the actor <c>cli</c>.
/// </summary>
public static class AdminCommand
{
    public const int Done = 0;
    public const int Failed = 1;

    private const string Name = "admin";
    private static readonly string[] Verbs = ["grant", "revoke", "unlock"];

    public const string Usage = "Usage: admin grant USERNAME | admin revoke USERNAME | admin unlock USERNAME";

    /// <param name="args">The whole command line: <c>args[0]</c> is the command's own name.</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Parse(args, out var problem) is not { } request)
        {
            error.WriteLine($"{Name}: {problem}");
            error.WriteLine(Usage);
            return Failed;
        }

        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await DatabaseMigrator.MigrateAsync(services, cancellationToken);
        }

        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditLog>().ActAs(AuditLog.CliActor);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = await users.FindByNameAsync(request.UserName);
        if (user is null)
        {
            error.WriteLine($"{Name}: there is no account named '{request.UserName}'.");
            return Failed;
        }

        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var outcome = request.Verb switch
        {
            "grant" => await administration.SetAdminAsync(user, grant: true, cancellationToken),
            "revoke" => await administration.SetAdminAsync(user, grant: false, cancellationToken),
            _ => await administration.UnlockAsync(user, cancellationToken),
        };
        if (outcome is AdminOutcome.Conflict(var detail))
        {
            error.WriteLine($"{Name} {request.Verb}: refused: {detail}");
            return Failed;
        }

        output.WriteLine(request.Verb switch
        {
            "grant" => $"{user.UserName} holds the admin role.",
            "revoke" => $"{user.UserName} does not hold the admin role.",
            _ => $"{user.UserName} is unlocked; failed-login count reset.",
        });
        return Done;
    }

    internal static (string Verb, string UserName)? Parse(string[] args, out string? problem)
    {
        var command = new Command(Name);
        var arguments = new Dictionary<string, Argument<string>>();
        foreach (var verb in Verbs)
        {
            var userName = new Argument<string>("USERNAME");
            arguments[verb] = userName;
            command.Subcommands.Add(new Command(verb) { userName });
        }

        // Response files off: an argument starting with '@' is a username, not a file to read arguments from.
        var parsed = command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var chosen = parsed.CommandResult.Command;
        problem = chosen == command
            ? (parsed.Tokens is [var unknown, ..] ? $"unknown command '{unknown.Value}'; " : "") + "say grant, revoke or unlock."
            : parsed.Errors is [var first, ..] ? first.Message
            : null;
        if (problem is not null)
        {
            return null;
        }

        var name = parsed.GetRequiredValue(arguments[chosen.Name]);
        if (string.IsNullOrWhiteSpace(name))
        {
            problem = "USERNAME is required.";
            return null;
        }

        return (chosen.Name, name);
    }
}
