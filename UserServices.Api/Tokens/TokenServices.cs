using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

namespace UserServices.Api.Tokens;

public static class TokenServices
{
    /// <summary>
    /// The token endpoint's parts (credential check, JWT minting with the configured signing keys) and JwtBearer
    /// validation pinned to our algorithm, issuer, audience and token type.
    /// </summary>
    public static WebApplicationBuilder AddTokens(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JwtOptions>().BindSettings(JwtOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JwtOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<IValidateOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddScoped<CredentialCheck>();
        services.AddSingleton<ClientCredentialsGrant>();
        services.AddScoped<TokenIntrospection>();
        services.AddSingleton<ServerMetadata>();
        services.AddSingleton<Clients.IAssertionAudiences>(sp => sp.GetRequiredService<ServerMetadata>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<JwtOptions>>((bearer, keys, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = BearerAuthentication.ValidationParameters(keys, jwt.Value);
                bearer.Events = BearerAuthentication.Events();
            });
        // Every [Authorize] endpoint acts on an account, so none takes a client's own token (the admin policy adds it too).
        services.AddAuthorization(options => options.DefaultPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(AccountHolderRequirement.Instance)
            .Build());
        return builder;
    }
}
