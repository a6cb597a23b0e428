using System.CommandLine;
using System.CommandLine.Help;

namespace UserServices.Api.Commands;

/// <summary>
/// The program's command line: <c>serve</c> (the default), <c>migrate</c>, <c>import-legacy</c>, <c>admin …</c>, each
/// with <c>--help</c>. It is read before anything starts, so help, an unknown command or a wrong option ends the
/// program there, never in a running service. Settings may follow any command, as ASP.NET Core reads them from a
/// command line: <c>--urls URLS</c>, <c>--environment NAME</c>, or <c>--Section:Key=value</c>.
/// </summary>
public static class ServiceCommandLine
{
    public const int BadArguments = 1;

    public static ChosenCommand Parse(string[] args, TextWriter output, TextWriter error)
    {
        var serve = false;
        CommandRun? run = null;
        var hostOptions = HostOptions();
        var root = new RootCommand(
            "UserServices: registration, OAuth2 tokens and accounts. Without a command it serves the API. Settings come "
            + "from the environment, .env and appsettings.json (README, Configuration); any can also be given here as --Section:Key=value.")
        {
            ServiceCommands.ServeDefinition(() => serve = true),
            ServiceCommands.MigrateDefinition(chosen => run = chosen),
            LegacyImportCommand.Definition(chosen => run = chosen),
            AdminCommand.Definition(chosen => run = chosen),
        };
        foreach (var option in hostOptions)
        {
            root.Options.Add(option);
        }

        root.SetAction(_ => serve = true);

        // Response files off: an argument starting with '@' is a value (a username, a password URL), not a file to read.
        var configuration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        // A setting (--Key=value) is unknown to the parser but no error: the host's configuration reads it. Set aside,
        // the rest is parsed again, so that only real mistakes remain.
        var settings = root.Parse(args, configuration).UnmatchedTokens.Where(IsSetting).ToList();
        var parsed = root.Parse(args.Where(token => !settings.Contains(token)).ToArray(), configuration);
        var problems = parsed.Errors.Select(e => e.Message).Distinct().ToList();
        if (problems.Count > 0 && parsed.Action is not HelpAction)
        {
            var path = string.Join(' ', Path(parsed.CommandResult.Command, root));
            foreach (var problem in problems)
            {
                error.WriteLine($"{(path.Length == 0 ? root.Name : path)}: {problem}");
            }

            error.WriteLine($"Run '{string.Join(' ', [root.Name, .. Path(parsed.CommandResult.Command, root)])} --help' for usage.");
            return new ChosenCommand(false, null, BadArguments, []);
        }

        var exitCode = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        settings.AddRange(hostOptions.Where(o => parsed.GetValue(o) is not null).Select(o => $"{o.Name}={parsed.GetValue(o)}"));
        return new ChosenCommand(serve, run, exitCode, [.. settings]);
    }

    /// <summary>The host's own settings, accepted after any command and handed on to the host as <c>--name=value</c>.</summary>
    private static Option<string>[] HostOptions() =>
    [
        new("--urls")
        {
            Description = "Where to listen, ';'-separated (as ASPNETCORE_URLS); default http://127.0.0.1:8000.",
            HelpName = "URLS",
            Recursive = true,
        },
        new("--environment")
        {
            Description = "Development or Production (as ASPNETCORE_ENVIRONMENT).",
            HelpName = "NAME",
            Recursive = true,
        },
        // What design-time tools pass when they start the program to reach its services (`dotnet ef` gives
        // "--applicationName UserServices.Api"): the host's own setting, not for operators, so hidden from --help.
        new("--applicationName") { Hidden = true, Recursive = true },
    ];

    /// <summary>Parses <paramref name="args"/> and runs the command they name against <paramref name="services"/>.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CommandConsole console, CancellationToken cancellationToken)
    {
        var chosen = Parse(args, console.Output, console.Error);
        return chosen.Run is { } run ? await run(services, console, cancellationToken) : chosen.ExitCode;
    }

    /// <summary>A setting as ASP.NET Core's command-line configuration reads it: <c>--Key=value</c>, <c>--Section:Key=value</c>.</summary>
    private static bool IsSetting(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) > 2
        && !token[2..token.IndexOf('=', StringComparison.Ordinal)].Any(char.IsWhiteSpace);

    private static List<string> Path(Command command, RootCommand root)
    {
        var names = new List<string>();
        for (var current = command; current is not null && current != root; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, current.Name);
        }

        return names;
    }
}
