using UserServices.Api.Admin.LegacyImport;

namespace UserServices.Api.Admin;

/// <summary>
/// In <c>UserServices.Api.Admin</c> rather than beside the command, so that Program.cs finds it through the using
/// it already has.
/// </summary>
public static class LegacyImportExtensions
{
    /// <param name="args">The whole command line: <c>args[0]</c> is <c>import-legacy</c>.</param>
    public static Task<int> ImportLegacyUsersAsync(this WebApplication app, string[] args) =>
        LegacyImportCommand.RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None);
}
