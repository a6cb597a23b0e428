using Microsoft.Extensions.Options;

namespace UserServices.Api.Clients;

public static class ClientServices
{
    /// <summary>The registered OAuth2 clients (none by default) and how a request authenticates as one.</summary>
    public static WebApplicationBuilder AddClients(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClientOptions>()
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection(ClientOptions.Section).Bind(options.Registered))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientOptions>, ClientOptionsValidator>();
        services.AddSingleton<ClientKeys>();
        services.AddScoped<ClientAssertionReplay>();
        services.AddScoped<ClientAssertion>();
        services.AddScoped<ClientAuthentication>();
        services.AddSingleton<ClientAssertionCleanup>();
        services.AddHostedService(provider => provider.GetRequiredService<ClientAssertionCleanup>());
        return builder;
    }
}
