using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UserServices.Api.Sessions;

public static class SessionServices
{
    /// <summary>Sessions and their refresh tokens: issuing, rotation with reuse detection, revocation, logout, listing and ending, hourly cleanup.</summary>
    public static WebApplicationBuilder AddSessions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RefreshTokenOptions>().BindConfiguration(RefreshTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionCheckOptions>().BindConfiguration(SessionCheckOptions.Section).ValidateOnStart();
        services.AddScoped<RefreshTokenStore>();
        services.AddScoped<RefreshTokenRotation>();
        services.AddSingleton<RefreshTokenMint>();
        services.AddScoped<SessionStore>();
        services.AddSingleton<RefreshTokenCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<RefreshTokenCleanup>());
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
