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

    private const string Name = "admin";

    internal static Command Definition(Action<CommandRun> choose)
    {
        var admin = new Command(Name, "Manage admin accounts from the service's machine (same DATABASE_URL); audited as 'cli'.");
        admin.Subcommands.Add(OnAccount("grant", "Give the account the admin role.", choose, (user, administration, ct) =>
            Report(administration.SetAdminAsync(user, grant: true, ct), "grant", $"{user.UserName} holds the admin role.")));
        admin.Subcommands.Add(OnAccount("revoke", "Take the admin role (refused for the last admin who can sign in).", choose, (user, administration, ct) =>
            Report(administration.SetAdminAsync(user, grant: false, ct), "revoke", $"{user.UserName} does not hold the admin role.")));
        admin.Subcommands.Add(OnAccount("unlock", "Unlock the account and reset its failed-login count.", choose, (user, administration, ct) =>
            Report(administration.UnlockAsync(user, ct), "unlock", $"{user.UserName} is unlocked; failed-login count reset.")));
        admin.Subcommands.Add(CreateDefinition(choose));
        admin.Subcommands.Add(SetPasswordDefinition(choose));
        admin.Subcommands.Add(ListDefinition(choose));
        return admin;
    }

    private static Argument<string> UserNameArgument() => new("USERNAME") { Description = "The account's username (any case)." };

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

    private static Command CreateDefinition(Action<CommandRun> choose)
    {
        var userName = UserNameArgument();
        var email = new Option<string>("--email") { Description = "The account's email address.", Required = true, HelpName = "ADDRESS" };
        var command = new Command("create", "Create an account holding the admin role; its password is read from standard input.") { userName, email };
        command.SetAction(parsed =>
        {
            var (name, address) = (parsed.GetRequiredValue(userName), parsed.GetRequiredValue(email));
            choose(async (services, console, cancellationToken) =>
            {
                if (ReadPassword(console, name) is not { } password)
                {
                    return Failed;
                }

                await using var scope = await OpenAsync(services, cancellationToken);
                var registration = scope.ServiceProvider.GetRequiredService<UserRegistration>();
                // Registration's own checks and transaction: the username rule, the address, the password policy.
                var outcome = await registration.RegisterAsync(new RegisterRequest(name, address, password), cancellationToken);
                if (outcome is not RegistrationOutcome.Created(var user))
                {
                    console.Error.WriteLine($"{Name} create: refused: {Describe(outcome)}");
                    return Failed;
                }

                var granted = await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetAdminAsync(user, grant: true, cancellationToken);
                if (granted is not AdminOutcome.Done)
                {
                    console.Error.WriteLine($"{Name} create: {user.UserName} was created but not made an admin: {Describe(granted)}");
                    return Failed;
                }

                console.Output.WriteLine($"{user.UserName} (id {user.Id.ToString(CultureInfo.InvariantCulture)}) created, holding the admin role.");
                return Done;
            });
        });
        return command;
    }

    private static Command SetPasswordDefinition(Action<CommandRun> choose)
    {
        var userName = UserNameArgument();
        var command = new Command("set-password", "Set the account's password, read from standard input; every session of the account ends.") { userName };
        command.SetAction(parsed =>
        {
            var name = parsed.GetRequiredValue(userName);
            choose(async (services, console, cancellationToken) =>
            {
                await using var scope = await OpenAsync(services, cancellationToken);
                if (await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByNameAsync(name) is not { } user)
                {
                    console.Error.WriteLine($"{Name}: there is no account named '{name}'.");
                    return Failed;
                }

                if (ReadPassword(console, user.UserName!) is not { } password)
                {
                    return Failed;
                }

                var outcome = await scope.ServiceProvider.GetRequiredService<AdminPasswords>().SetAsync(user.Id, password, cancellationToken);
                if (outcome is not AdminOutcome.Done)
                {
                    console.Error.WriteLine($"{Name} set-password: refused: {Describe(outcome)}");
                    return Failed;
                }

                console.Output.WriteLine($"{user.UserName}'s password is set; every session of the account has ended.");
                return Done;
            });
        });
        return command;
    }

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
    private static async Task<AsyncServiceScope> OpenAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await DatabaseMigrator.MigrateAsync(services, cancellationToken);
        }

        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditLog>().ActAs(AuditLog.CliActor);
        return scope;
    }

    /// <summary>
    /// One line of standard input when it is redirected (<c>printf '%s\n' "$PASSWORD" | … admin create …</c>); at a
    /// terminal, asked for twice without echo. Null, with the reason written, when there is none or they differ.
    /// </summary>
    internal static string? ReadPassword(CommandConsole console, string userName)
    {
        if (!console.InputIsTerminal)
        {
            var line = console.Input.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                console.Error.WriteLine($"{Name}: no password on standard input; pipe one line holding it, e.g. printf '%s\\n' \"$PASSWORD\" | … ");
                return null;
            }

            return line;
        }

        var first = ReadHidden(console, $"Password for {userName}: ");
        var second = ReadHidden(console, "Again: ");
        if (first != second)
        {
            console.Error.WriteLine($"{Name}: the two passwords differ; nothing was changed.");
            return null;
        }

        return first;
    }

    private static string ReadHidden(CommandConsole console, string prompt)
    {
        console.Error.Write(prompt);
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        console.Error.WriteLine();
        return typed.ToString();
    }

    private static string Describe(AdminOutcome outcome) => outcome switch
    {
        AdminOutcome.Conflict(var detail) => detail,
        AdminOutcome.Invalid(var errors) => string.Join(" ", errors.SelectMany(e => e.Value)),
        AdminOutcome.NotFound => "the account no longer exists.",
        AdminOutcome.Busy => "the password threads are busy; try again.",
        _ => outcome.ToString(),
    };

    private static string Describe(RegistrationOutcome outcome) => outcome switch
    {
        RegistrationOutcome.Invalid(var errors) => string.Join(" ", errors.SelectMany(e => e.Value)),
        RegistrationOutcome.Taken(var detail) => detail,
        RegistrationOutcome.Busy => "the password threads are busy; try again.",
        _ => outcome.ToString(),
    };
}
