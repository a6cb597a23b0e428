using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using UserServices.Api.Clients;
using UserServices.Api.Database;
using UserServices.Api.Mail;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Tokens;

namespace UserServices.Api.Commands;

/// <summary>
/// One line, once the service listens, saying what it runs with — the settings an operator would otherwise piece
/// together from several lines or not see at all (mail off, the signing algorithm, the issuer, the clients).
/// </summary>
public static class StartupSummary
{
    public static string Describe(IServiceProvider services, string? dotEnvFile)
    {
        var environment = services.GetRequiredService<IHostEnvironment>().EnvironmentName;
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var database = services.GetRequiredService<DatabaseUrl>();
        var keys = services.GetRequiredService<SigningKeys>();
        var jwt = services.GetRequiredService<IOptions<JwtOptions>>().Value;
        var clients = services.GetRequiredService<IOptions<ClientOptions>>().Value.Registered.Select(c => c.ClientId).ToList();
        var mail = services.GetRequiredService<MailDelivery>();
        var rateLimits = services.GetRequiredService<RateLimitBackend>();
        var bcrypt = services.GetRequiredService<IBcrypt>();

        var keyId = keys.SigningCredentials.Key.KeyId is { Length: > 0 } kid ? $" (kid {kid})" : "";
        return string.Join("; ",
            $"UserServices: environment {environment}",
            $"listening on {(addresses.Count > 0 ? string.Join(", ", addresses) : "(no address)")}",
            $"database {database.Provider} ({database.Describe()})",
            $"tokens {keys.Algorithm}{keyId}, issuer {jwt.Issuer}, audience {jwt.Audience}",
            clients.Count > 0 ? $"clients {string.Join(", ", clients)}" : "no registered clients (any client_id accepted)",
            mail.Smtp is { } smtp ? $"mail by SMTP to {smtp.Host}:{smtp.Port}"
                : mail.PickupDirectory is { } folder ? $"mail written as .eml files to {folder}"
                : "mail off (SMTP_URL unset: recovery endpoints answer 503)",
            rateLimits.UsesMemory ? "rate limits counted in memory" : "rate limits counted in Redis",
            $"bcrypt {bcrypt.Name}",
            dotEnvFile is null ? "no .env file" : $"settings also from {dotEnvFile}");
    }
}
