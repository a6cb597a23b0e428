namespace UserServices.Api.Commands;

/// <summary>How a command reads a password: never from an argument, where <c>ps</c> and the shell's history would show it.</summary>
internal static class PasswordPrompt
{
    /// <summary>
    /// One line of standard input when it is redirected (<c>printf '%s\n' "$PASSWORD" | … admin create …</c>); at a
    /// terminal, asked for twice without echo. Null, with the reason written, when there is none or they differ.
    /// </summary>
    internal static string? Read(CommandConsole console, string userName)
    {
        if (!console.InputIsTerminal)
        {
            var line = console.Input.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                console.Error.WriteLine($"{AdminCommand.Name}: no password on standard input; pipe one line holding it, e.g. printf '%s\\n' \"$PASSWORD\" | … ");
                return null;
            }

            return line;
        }

        var first = ReadHidden(console, $"Password for {userName}: ");
        var second = ReadHidden(console, "Again: ");
        if (first != second)
        {
            console.Error.WriteLine($"{AdminCommand.Name}: the two passwords differ; nothing was changed.");
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
}
