using UserServices.Api.Hosting;

namespace UserServices.Api.Mail;

public static class MailServices
{
    /// <summary>The mail outbox, its background sender (SMTP or Development's .eml folder), templates and mailed tokens.</summary>
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MailOptions>().BindSettings(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<MailDelivery>();
        services.AddSingleton<MailSignal>();
        services.AddSingleton<MailTemplates>();
        services.AddScoped<MailOutbox>();
        services.AddScoped<AccountTokens>();
        services.AddHostedService<MailSender>();
        services.AddHostedService<MailCleanup>();
        return builder;
    }
}
