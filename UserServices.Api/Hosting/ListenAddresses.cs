namespace UserServices.Api.Hosting;

public static class ListenAddresses
{
    public const string Default = "http://127.0.0.1:8000";

    private static readonly string[] AddressSettings = ["urls", "http_ports", "https_ports"];

    /// <summary>
    /// Listens on <see cref="Default"/> only when no standard setting says where: <c>--urls</c>, <c>ASPNETCORE_URLS</c>
    /// or <c>Urls</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, or Kestrel endpoints in configuration. The default
    /// is not written in appsettings.json, where it would outrank <c>ASPNETCORE_URLS</c> (the framework reads the
    /// prefixed variables before appsettings) and put every systemd replica on one port.
    /// </summary>
    internal static WebApplicationBuilder UseDefaultListenAddress(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var given = AddressSettings.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!given)
        {
            builder.WebHost.UseUrls(Default);
        }

        return builder;
    }
}
