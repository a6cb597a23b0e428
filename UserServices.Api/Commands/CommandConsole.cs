namespace UserServices.Api.Commands;

/// <summary>Where a command reads (a password, never an argument) and writes.</summary>
public sealed record CommandConsole(TextReader Input, TextWriter Output, TextWriter Error, bool InputIsTerminal)
{
    public static CommandConsole System => new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected);
}
