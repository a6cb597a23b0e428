namespace UserServices.Api.Commands;

/// <summary>One of the operator's commands, run against the built service's container.</summary>
public delegate Task<int> CommandRun(IServiceProvider services, CommandConsole console, CancellationToken cancellationToken);
