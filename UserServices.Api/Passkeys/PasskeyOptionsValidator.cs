using Microsoft.Extensions.Options;

namespace UserServices.Api.Passkeys;

/// <summary>Refuses at start a relying-party id or an origin no browser or app would ever present.</summary>
public sealed class PasskeyOptionsValidator : IValidateOptions<PasskeyOptions>
{
    public const string AndroidOriginPrefix = "android:apk-key-hash:";

    public ValidateOptionsResult Validate(string? name, PasskeyOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        var domain = options.ServerDomain!;
        // WebAuthn §5.1.2: the RP id is a domain, not an origin; an IP address cannot be one.
        if (Uri.CheckHostName(domain) != UriHostNameType.Dns || domain.Contains(':') || domain.EndsWith('.'))
        {
            problems.Add($"Passkeys:ServerDomain '{domain}' must be a domain name such as example.com (no scheme, port or path; not an IP address).");
        }

        problems.AddRange(options.Origins.Where(origin => !IsOrigin(origin, domain)).Select(origin =>
            $"Passkeys:Origins entry '{origin}' must be https://<host on {domain}>[:port] (http only for localhost) or {AndroidOriginPrefix}<base64url SHA-256 of the signing certificate>."));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsOrigin(string origin, string domain)
    {
        if (origin.StartsWith(AndroidOriginPrefix, StringComparison.Ordinal))
        {
            return origin.Length > AndroidOriginPrefix.Length;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.AbsolutePath == "/" && !origin.EndsWith('/')
            && (uri.Scheme == "https" || (uri.Scheme == "http" && uri.Host == "localhost"))
            // §5.1.2: the RP id must be the origin's host or a registrable suffix of it.
            && (uri.Host == domain || uri.Host.EndsWith("." + domain, StringComparison.Ordinal));
    }
}
