using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UserServices.Data.Users;

namespace UserServices.Api.Passkeys;

public static class PasskeySetup
{
    public const string DisabledDetail =
        "Passkeys are not enabled on this service: set Passkeys:ServerDomain (PASSKEYS__SERVERDOMAIN) or PUBLIC_BASE_URL.";

    /// <summary>
    /// Passkeys through JSON endpoints: Identity's passkey handler used directly (its state kept in
    /// <see cref="PasskeyCeremonies"/>, not in SignInManager's cookie), our relying party and origins, the grant.
    /// </summary>
    public static WebApplicationBuilder AddPasskeys(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PasskeyOptions>().BindConfiguration(PasskeyOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<PasskeyOptions>, PasskeyDefaults>();
        services.AddSingleton<IValidateOptions<PasskeyOptions>, PasskeyOptionsValidator>();
        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<PasskeyOptions>, TimeProvider>((identity, ours, time) =>
        {
            var origins = ours.Value.Origins.ToHashSet(StringComparer.Ordinal);
            identity.ServerDomain = ours.Value.ServerDomain;
            identity.AuthenticatorTimeout = PasskeyCeremonies.Lifetime;
            // Discoverable credentials: sign-in starts with no username, so nothing tells which accounts exist.
            identity.ResidentKeyRequirement = "required";
            // Asked for, not demanded: a verified sign-in counts as multi-factor (amr "mfa"), an unverified one does not.
            identity.UserVerificationRequirement = "preferred";
            // WebAuthn §13.4.9: only the configured origins; never a ceremony run inside another site's frame.
            identity.ValidateOrigin = context => ValueTask.FromResult(!context.CrossOrigin && context.Origin is { } origin && origins.Contains(origin));
        });
        services.TryAddScoped<IPasskeyHandler<User>, PasskeyHandler<User>>();
        services.AddScoped<PasskeyCeremonies>();
        services.AddScoped<PasskeyRegistration>();
        services.AddScoped<PasskeySignIn>();
        services.AddScoped<AccountPasskeys>();
        services.AddHostedService<PasskeyCeremonyCleanup>();
        services.AddHostedService<PasskeyStartupLog>();
        return builder;
    }
}
