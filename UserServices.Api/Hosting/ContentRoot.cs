namespace UserServices.Api.Hosting;

public static class ContentRoot
{
    /// <summary>
    /// The host's options, its content root (where appsettings.json, the mail templates… are read) being the program's
    /// own folder rather than the working directory: <c>dotnet /opt/userservices/UserServices.Api.dll</c> started from
    /// <c>/</c> (systemd-run, cron, a shell elsewhere) reads the same settings as from its folder. A content root given
    /// explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, a test host's) still wins.
    /// </summary>
    public static WebApplicationOptions Options(string[] hostArguments)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(hostArguments)
            .Build()[WebHostDefaults.ContentRootKey];
        return new WebApplicationOptions
        {
            Args = hostArguments,
            ContentRootPath = string.IsNullOrEmpty(given) ? AppContext.BaseDirectory : null,
        };
    }
}
