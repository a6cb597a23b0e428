using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UserServices.Api.Sessions;

public static class SessionServices
{
    /// <summary>Refresh-token sessions: issuing, rotation with reuse detection, revocation and logout, hourly cleanup.</summary>
    public static WebApplicationBuilder AddSessions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RefreshTokenOptions>().BindConfiguration(RefreshTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RefreshTokenStore>();
        services.AddSingleton<RefreshTokenCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<RefreshTokenCleanup>());
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
