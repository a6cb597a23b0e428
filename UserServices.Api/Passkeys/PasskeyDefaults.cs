using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

namespace UserServices.Api.Passkeys;

/// <summary>
/// Fills in what <see cref="PasskeyOptions"/> leaves unset from the service's public address (<c>Jwt:PublicBaseUrl</c>,
/// read from configuration by name, its alias first: <c>Tokens</c> uses this folder, not the other way round).
/// </summary>
public sealed class PasskeyDefaults(IConfiguration configuration) : IPostConfigureOptions<PasskeyOptions>
{
    public const string PublicBaseUrlKey = "Jwt:PublicBaseUrl";

    public void PostConfigure(string? name, PasskeyOptions options)
    {
        // Only an address a browser would run passkeys on: a domain (not an IP address) over https, or localhost.
        // Any other PUBLIC_BASE_URL leaves passkeys off rather than stopping a service that worked before them.
        var publicBase = Uri.TryCreate(SettingAliases.Read(configuration, PublicBaseUrlKey), UriKind.Absolute, out var uri)
            && uri.HostNameType == UriHostNameType.Dns && (uri.Scheme == "https" || uri.Host == "localhost") ? uri : null;
        if (string.IsNullOrEmpty(options.ServerDomain) && publicBase is not null)
        {
            options.ServerDomain = publicBase.Host;
            if (options.Origins.Length == 0)
            {
                options.Origins = [publicBase.GetLeftPart(UriPartial.Authority)];
            }
        }

        if (options.Enabled && options.Origins.Length == 0)
        {
            options.Origins = [$"https://{options.ServerDomain}"];
        }

        if (options.Enabled && string.IsNullOrEmpty(options.ServerName))
        {
            options.ServerName = options.ServerDomain;
        }
    }
}
