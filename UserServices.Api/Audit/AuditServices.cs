using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UserServices.Api.Audit;

public static class AuditServices
{
    /// <summary>The audit log other folders record into, its retention setting and its hourly cleanup.</summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddSingleton<AuditCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCleanup>());
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
