using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

public static class IdentitySetup
{
    /// <summary>Identity's user and role stores over EF Core, our user validators and lockout.</summary>
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LockoutPolicyOptions>().BindConfiguration(LockoutPolicyOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();

        services.AddIdentityCore<User>()
            .AddRoles<Role>()
            .AddEntityFrameworkStores<UserServicesDbContext>();

        // Email keys by the UTS #46 form of the domain, so look-alike spellings of one mailbox are one account.
        if (!UserLookupNormalizer.MapsLookAlikeDomains())
        {
            throw new InvalidOperationException("UTS #46 domain mapping is unavailable: the service needs ICU (libicu) and must not run in .NET's invariant globalization mode.");
        }

        services.Replace(ServiceDescriptor.Singleton<ILookupNormalizer, UserLookupNormalizer>());

        // Identity's validator and ours, judging only the fields being set (accounts imported from the Python
        // service may hold values registration refuses today; see ChangedFieldsUserValidator).
        services.RemoveAll<IUserValidator<User>>();
        services.AddScoped<IUserValidator<User>, ChangedFieldsUserValidator>();

        services.AddOptions<IdentityOptions>().Configure<IOptions<LockoutPolicyOptions>>((identity, lockout) =>
        {
            identity.User.RequireUniqueEmail = true;
            // Version 3: Identity's passkey table (a context made without the service gets the same, see IdentitySchema).
            identity.Stores.SchemaVersion = IdentitySchema.Version;
            // Identity's ASCII list refused 'Zoë' as "not letters or digits"; UserNameRule decides instead.
            identity.User.AllowedUserNameCharacters = "";
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = lockout.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(lockout.Value.LockoutMinutes);
        });

        services.AddScoped<FailedLoginCounter>();
        services.AddScoped<CurrentAccount>();
        services.AddScoped<UserRegistration>();
        services.AddScoped<PasswordConfirmation>();
        services.AddScoped<PasswordChange>();
        services.AddScoped<AccountClosure>();
        return builder;
    }
}
