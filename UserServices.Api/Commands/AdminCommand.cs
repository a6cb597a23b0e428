using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Api.Admin;
using UserServices.Api.Audit;
using UserServices.Api.Database;
using UserServices.Api.Users;
using UserServices.Data.Users;

namespace UserServices.Api.Commands;

/// <summary>
/// <c>admin grant|revoke|unlock|create|set-password|list</c>: manage the admin accounts from the machine the service
/// runs on — for the first admin of an existing database, and for the day no admin can sign in. Audited with the
/// actor <c>cli</c>. A password is read from standard input, never taken as an argument, where <c>ps</c> and the
/// shell's history would show it.
/// </summary>
public static class AdminCommand
{
    public const int Done = 0;
    public const int Failed = 1;

    internal const string Name = "admin";

    internal static Command Definition(Action<CommandRun> choose)
    {
        var admin = new Command(Name, "Manage admin accounts from the service's machine (same DATABASE_URL); audited as 'cli'.");
        admin.Subcommands.Add(OnAccount("grant", "Give the account the admin role.", choose, (user, administration, ct) =>
            Report(administration.SetAdminAsync(user, grant: true, ct), "grant", $"{user.UserName} holds the admin role.")));
        admin.Subcommands.Add(OnAccount("revoke", "Take the admin role (refused for the last admin who can sign in).", choose, (user, administration, ct) =>
            Report(administration.SetAdminAsync(user, grant: false, ct), "revoke", $"{user.UserName} does not hold the admin role.")));
        admin.Subcommands.Add(OnAccount("unlock", "Unlock the account and reset its failed-login count.", choose, (user, administration, ct) =>
            Report(administration.UnlockAsync(user, ct), "unlock", $"{user.UserName} is unlocked; failed-login count reset.")));
        admin.Subcommands.Add(AdminPasswordCommands.Create(choose));
        admin.Subcommands.Add(AdminPasswordCommands.SetPassword(choose));
        admin.Subcommands.Add(ListDefinition(choose));
        return admin;
    }

    internal static Argument<string> UserNameArgument() => new("USERNAME") { Description = "The account's username (any case)." };

    /// <summary>A verb on an existing account: finds it by name, then runs <paramref name="act"/> as the actor <c>cli</c>.</summary>
    private static Command OnAccount(
        string verb, string description, Action<CommandRun> choose,
        Func<User, UserAdministration, CancellationToken, Task<(bool Ok, string Message)>> act)
    {
        var userName = UserNameArgument();
        var command = new Command(verb, description) { userName };
        command.SetAction(parsed =>
        {
            var name = parsed.GetRequiredValue(userName);
            choose(async (services, console, cancellationToken) =>
            {
                await using var scope = await OpenAsync(services, cancellationToken);
                var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
                if (await users.FindByNameAsync(name) is not { } user)
                {
                    console.Error.WriteLine($"{Name}: there is no account named '{name}'.");
                    return Failed;
                }

                var (ok, message) = await act(user, scope.ServiceProvider.GetRequiredService<UserAdministration>(), cancellationToken);
                (ok ? console.Output : console.Error).WriteLine(message);
                return ok ? Done : Failed;
            });
        });
        return command;
    }

    private static async Task<(bool Ok, string Message)> Report(Task<AdminOutcome> change, string verb, string success) =>
        await change switch
        {
            AdminOutcome.Done => (true, success),
            var outcome => (false, $"{Name} {verb}: refused: {Describe(outcome)}"),
        };

    private static Command ListDefinition(Action<CommandRun> choose)
    {
        var command = new Command("list", "List the accounts holding the admin role: id, username, email, and a lock when there is one.");
        command.SetAction(_ => choose(async (services, console, cancellationToken) =>
        {
            await using var scope = await OpenAsync(services, cancellationToken);
            var admins = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().GetUsersInRoleAsync(Role.Admin);
            var now = DateTimeOffset.UtcNow;
            foreach (var admin in admins.OrderBy(a => a.Id))
            {
                var locked = admin.LockoutEnd is { } end && end > now
                    ? $"\tlocked until {end.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}"
                    : "";
                console.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{admin.Id}\t{admin.UserName}\t{admin.Email}{locked}"));
            }

            if (admins.Count == 0)
            {
                console.Error.WriteLine($"{Name} list: no account holds the admin role; create one with 'admin create USERNAME --email ADDRESS'.");
            }

            return Done;
        }));
        return command;
    }

    /// <summary>The schema first when the service would migrate at start, then a scope acting as <c>cli</c>.</summary>
    internal static async Task<AsyncServiceScope> OpenAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await DatabaseMigrator.MigrateAsync(services, cancellationToken);
        }

        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditLog>().ActAs(AuditLog.CliActor);
        return scope;
    }

    internal static string Describe(AdminOutcome outcome) => outcome switch
    {
        AdminOutcome.Conflict(var detail) => detail,
        AdminOutcome.Invalid(var errors) => string.Join(" ", errors.SelectMany(e => e.Value)),
        AdminOutcome.NotFound => "the account no longer exists.",
        AdminOutcome.Busy => "the password threads are busy; try again.",
        _ => outcome.ToString(),
    };

    internal static string Describe(RegistrationOutcome outcome) => outcome switch
    {
        RegistrationOutcome.Invalid(var errors) => string.Join(" ", errors.SelectMany(e => e.Value)),
        RegistrationOutcome.Taken(var detail) => detail,
        RegistrationOutcome.Busy => "the password threads are busy; try again.",
        _ => outcome.ToString(),
    };
}
