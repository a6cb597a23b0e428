using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using UserServices.Api.Admin;
using UserServices.Api.Users;
using UserServices.Data.Users;

namespace UserServices.Api.Commands;

/// <summary>
/// <c>admin create</c> and <c>admin set-password</c>: the admin verbs that take a password, read from standard input
/// (<see cref="PasswordPrompt"/>) and put through the same services, policy and password threads as the API's.
/// </summary>
internal static class AdminPasswordCommands
{
    internal static Command Create(Action<CommandRun> choose)
    {
        var userName = AdminCommand.UserNameArgument();
        var email = new Option<string>("--email") { Description = "The account's email address.", Required = true, HelpName = "ADDRESS" };
        var command = new Command("create", "Create an account holding the admin role; its password is read from standard input.") { userName, email };
        command.SetAction(parsed =>
        {
            var (name, address) = (parsed.GetRequiredValue(userName), parsed.GetRequiredValue(email));
            choose(async (services, console, cancellationToken) =>
            {
                if (PasswordPrompt.Read(console, name) is not { } password)
                {
                    return AdminCommand.Failed;
                }

                await using var scope = await AdminCommand.OpenAsync(services, cancellationToken);
                var registration = scope.ServiceProvider.GetRequiredService<UserRegistration>();
                // Registration's own checks and transaction: the username rule, the address, the password policy.
                var outcome = await registration.RegisterAsync(new RegisterRequest(name, address, password), cancellationToken);
                if (outcome is not RegistrationOutcome.Created(var user))
                {
                    console.Error.WriteLine($"{AdminCommand.Name} create: refused: {AdminCommand.Describe(outcome)}");
                    return AdminCommand.Failed;
                }

                var granted = await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetAdminAsync(user, grant: true, cancellationToken);
                if (granted is not AdminOutcome.Done)
                {
                    console.Error.WriteLine($"{AdminCommand.Name} create: {user.UserName} was created but not made an admin: {AdminCommand.Describe(granted)}");
                    return AdminCommand.Failed;
                }

                console.Output.WriteLine($"{user.UserName} (id {user.Id.ToString(CultureInfo.InvariantCulture)}) created, holding the admin role.");
                return AdminCommand.Done;
            });
        });
        return command;
    }

    internal static Command SetPassword(Action<CommandRun> choose)
    {
        var userName = AdminCommand.UserNameArgument();
        var command = new Command("set-password", "Set the account's password, read from standard input; every session of the account ends.") { userName };
        command.SetAction(parsed =>
        {
            var name = parsed.GetRequiredValue(userName);
            choose(async (services, console, cancellationToken) =>
            {
                await using var scope = await AdminCommand.OpenAsync(services, cancellationToken);
                if (await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByNameAsync(name) is not { } user)
                {
                    console.Error.WriteLine($"{AdminCommand.Name}: there is no account named '{name}'.");
                    return AdminCommand.Failed;
                }

                if (PasswordPrompt.Read(console, user.UserName!) is not { } password)
                {
                    return AdminCommand.Failed;
                }

                var outcome = await scope.ServiceProvider.GetRequiredService<AdminPasswords>().SetAsync(user.Id, password, cancellationToken);
                if (outcome is not AdminOutcome.Done)
                {
                    console.Error.WriteLine($"{AdminCommand.Name} set-password: refused: {AdminCommand.Describe(outcome)}");
                    return AdminCommand.Failed;
                }

                console.Output.WriteLine($"{user.UserName}'s password is set; every session of the account has ended.");
                return AdminCommand.Done;
            });
        });
        return command;
    }
}
