namespace UserServices.Api.Commands;

/// <summary>
/// What the command line asked for: to serve, to run one of the operator's commands, or nothing more (help was
/// printed, or the arguments were wrong: <see cref="ExitCode"/>). <see cref="HostArguments"/> are the settings given
/// on the command line (<c>--urls</c>, <c>--Section:Key=value</c>), for the host's configuration.
/// </summary>
public sealed record ChosenCommand(bool Serve, CommandRun? Run, int ExitCode, string[] HostArguments)
{
    public bool Exits => !Serve && Run is null;
}
