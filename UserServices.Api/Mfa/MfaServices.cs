using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

namespace UserServices.Api.Mfa;

public static class MfaServices
{
    /// <summary>Two-factor sign-in: enrolment, the second factor of the password grant, the admin-role policy, the cleanup of old mfa_tokens.</summary>
    public static WebApplicationBuilder AddMfa(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MfaOptions>().BindSettings(MfaOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MfaOptions>, MfaOptionsValidator>();
        services.AddSingleton<TotpSecretCipher>();
        services.AddScoped<SecondFactors>();
        services.AddScoped<MfaChallenges>();
        services.AddScoped<MfaGrant>();
        services.AddScoped<MfaEnrolment>();
        services.AddScoped<MfaReset>();
        services.AddSingleton<IAuthorizationHandler, MfaPolicyHandler>();
        services.AddSingleton<MfaChallengeCleanup>();
        services.AddHostedService(provider => provider.GetRequiredService<MfaChallengeCleanup>());
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
