using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UserServices.Api.Hosting;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

public static class PasswordHashing
{
    /// <summary>
    /// bcrypt in place of Identity's PBKDF2 hasher, the password policy in place of its composition rules, and the
    /// dedicated threads that run every request's bcrypt. Call after Identity is added: it replaces Identity's own.
    /// </summary>
    public static WebApplicationBuilder AddPasswords(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PasswordHashingOptions>().BindSettings(PasswordHashingOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Backend != BcryptBackend.Native || BcryptSelection.NativeProblem() is null,
                "Passwords:Backend is native, but libxcrypt (libcrypt.so.1) is missing or fails its self-test; use auto or managed.")
            .ValidateOnStart();
        services.AddOptions<PasswordWorkerOptions>().BindConfiguration(PasswordWorkerOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<IBcrypt>(sp => BcryptSelection.Choose(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PasswordHashingOptions>>().Value.Backend,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BcryptSelection))));
        services.AddSingleton<BcryptPasswordHasher>();
        services.AddHttpContextAccessor();
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<User>, OffRequestPasswordHasher>());
        services.AddSingleton<PasswordPolicy>();
        services.RemoveAll<IPasswordValidator<User>>();
        services.AddScoped<IPasswordValidator<User>, PasswordPolicyValidator>();
        services.AddSingleton<PasswordWorkers>();
        services.AddHostedService(sp => sp.GetRequiredService<PasswordWorkers>());
        services.AddScoped<PasswordWork>();
        return builder;
    }
}
