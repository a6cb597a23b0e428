using Microsoft.Extensions.Options;

namespace UserServices.Api.Passkeys;

/// <summary>One line at start saying whether passkeys are on, for which relying party, or how to turn them on.</summary>
public sealed class PasskeyStartupLog(IOptions<PasskeyOptions> options, ILogger<PasskeyStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var passkeys = options.Value;
        if (passkeys.Enabled)
        {
            logger.LogInformation("Passkeys on: relying party {ServerDomain}, origins {Origins}.", passkeys.ServerDomain, string.Join(' ', passkeys.Origins));
        }
        else
        {
            logger.LogInformation("Passkeys off: set Passkeys:ServerDomain (PASSKEYS__SERVERDOMAIN) or PUBLIC_BASE_URL to turn them on.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
