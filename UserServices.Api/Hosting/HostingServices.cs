namespace UserServices.Api.Hosting;

public static class HostingServices
{
    /// <summary>
    /// What every request meets: the default listen address, ProblemDetails for every error, which proxies are
    /// believed, the security headers and HTTPS, the controllers and how a bad body is answered.
    /// </summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder) =>
        builder.UseDefaultListenAddress()
            .AddProblemResponses()
            .AddTrustedProxies()
            .AddTransportSecurity()
            .AddApiControllers();
}
