using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;
using UserServices.Data.Seeding;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

public static class AdminSeeding
{
    /// <summary>
    /// The admin account, created by EF Core's seeding hooks after every migrate when it is missing (the seeder
    /// itself lives in UserServices.Data, so `dotnet ef database update` seeds too).
    /// </summary>
    internal static WebApplicationBuilder AddAdminSeeding(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminAccountOptions>().BindSettings(AdminAccountOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<AdminAccountOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<AdminAccountOptions>>(sp => sp.GetRequiredService<AdminAccountOptionsValidator>());
        builder.Services.AddSingleton(sp => new AdminSeeder(
            sp.GetRequiredService<IOptions<AdminAccountOptions>>().Value.ToAccount(),
            sp.GetRequiredService<IPasswordHasher<User>>(),
            new UserLookupNormalizer(),
            sp.GetRequiredService<AdminAccountOptionsValidator>().Problems,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AdminSeeder>()));
        return builder;
    }
}
