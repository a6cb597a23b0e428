using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UserServices.Api.Auth;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

public static class IdentitySetup
{
    /// <summary>Identity's user and role stores over EF Core, with bcrypt, our password policy and lockout.</summary>
    public static WebApplicationBuilder AddIdentityStores(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (int.TryParse(configuration["BCRYPT_WORK_FACTOR"], out var workFactor))
                {
                    options.WorkFactor = workFactor;
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutPolicyOptions>().BindConfiguration(LockoutPolicyOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddIdentityCore<User>()
            .AddRoles<Role>()
            .AddEntityFrameworkStores<UserServicesDbContext>();

        // AddIdentityCore only *tries* to add its PBKDF2 hasher and composition-rule validator; replace both.
        services.AddSingleton<BcryptPasswordHasher>();
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<User>>(sp => sp.GetRequiredService<BcryptPasswordHasher>()));
        services.AddSingleton<PasswordPolicy>();
        services.RemoveAll<IPasswordValidator<User>>();
        services.AddScoped<IPasswordValidator<User>, PasswordPolicyValidator>();
        // Identity's validator and ours, judging only the fields being set (accounts imported from the Python
        // service may hold values registration refuses today; see ChangedFieldsUserValidator).
        services.RemoveAll<IUserValidator<User>>();
        services.AddScoped<IUserValidator<User>, ChangedFieldsUserValidator>();

        services.AddOptions<IdentityOptions>().Configure<Microsoft.Extensions.Options.IOptions<LockoutPolicyOptions>>((identity, lockout) =>
        {
            identity.User.RequireUniqueEmail = true;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = lockout.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(lockout.Value.LockoutMinutes);
        });

        services.AddScoped<CurrentAccount>();
        services.AddScoped<CredentialCheck>();
        services.AddScoped<UserRegistration>();
        return builder;
    }
}
