using Microsoft.Extensions.Options;

namespace UserServices.Api.Hosting;

/// <summary>
/// The environment variable names the Python service was configured with, each standing for one setting of a
/// section. They win over the section's own key (appsettings, <c>Section__Key</c>), so an existing <c>.env</c>
/// keeps working as it is; an empty variable counts as unset. This table is the only place they are read.
/// </summary>
public static class SettingAliases
{
    public static readonly IReadOnlyDictionary<string, string> ByVariable = new Dictionary<string, string>
    {
        ["SECRET_KEY"] = "Jwt:SecretKey",
        ["ACCESS_TOKEN_EXPIRE_MINUTES"] = "Jwt:AccessTokenMinutes",
        ["JWT_ALGORITHM"] = "Jwt:Algorithm",
        ["JWT_SIGNING_KEY_PATH"] = "Jwt:SigningKeyPath",
        ["PUBLIC_BASE_URL"] = "Jwt:PublicBaseUrl",
        ["DATABASE_URL"] = "Database:Url",
        ["BCRYPT_WORK_FACTOR"] = "Passwords:WorkFactor",
        ["ADMIN_USERNAME"] = "Admin:UserName",
        ["ADMIN_EMAIL"] = "Admin:Email",
        ["ADMIN_PASSWORD"] = "Admin:Password",
        ["LOG_FORMAT"] = "Monitoring:LogFormat",
        ["MANAGEMENT_URLS"] = "Monitoring:ManagementUrls",
        ["REDIS_URL"] = "RateLimits:RedisUrl",
        ["SMTP_URL"] = "Mail:SmtpUrl",
        ["MAIL_FROM"] = "Mail:From",
        ["MFA_ENCRYPTION_KEY"] = "Mfa:EncryptionKey",
    };

    /// <summary>
    /// The value of <paramref name="setting"/> as the bound options will see it (its alias first), for the few
    /// settings that shape the host itself and so are needed before options exist.
    /// </summary>
    public static string? Read(IConfiguration configuration, string setting) =>
        ByVariable.Where(alias => alias.Value == setting).Select(alias => configuration[alias.Key])
            .FirstOrDefault(value => !string.IsNullOrEmpty(value)) ?? configuration[setting];

    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/>, then from the section's aliases that are set.</summary>
    public static OptionsBuilder<T> BindSettings<T>(this OptionsBuilder<T> options, string section)
        where T : class => options
        .BindConfiguration(section)
        .Configure<IConfiguration>((target, configuration) => ApplyAliases(target, section, configuration));

    private static void ApplyAliases(object target, string section, IConfiguration configuration)
    {
        var prefix = section + ":";
        var failures = new List<string>();
        foreach (var (variable, setting) in ByVariable.Where(alias => alias.Value.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (string.IsNullOrEmpty(configuration[variable]))
            {
                continue;
            }

            try
            {
                new ConfigurationBuilder()
                    .AddInMemoryCollection([KeyValuePair.Create(setting[prefix.Length..], configuration[variable])])
                    .Build()
                    .Bind(target);
            }
            catch (InvalidOperationException)
            {
                // One line naming the variable, never its value: some of these are secrets.
                failures.Add($"{variable} is not a valid value for {setting}.");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(section, target.GetType(), failures);
        }
    }
}
