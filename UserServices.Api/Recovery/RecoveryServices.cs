namespace UserServices.Api.Recovery;

public static class RecoveryServices
{
    /// <summary>Getting back in and proving an address: the password reset, email confirmation and change of address.</summary>
    public static WebApplicationBuilder AddRecovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PasswordRecovery>();
        builder.Services.AddScoped<EmailConfirmation>();
        builder.Services.AddScoped<EmailChange>();
        return builder;
    }
}
