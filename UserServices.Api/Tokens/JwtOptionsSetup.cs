using System.Text;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Tokens;

/// <summary>
/// Rules across the Jwt settings, checked at start; in Development only, stands in a fixed key when SECRET_KEY is
/// unset, and says so once.
/// </summary>
internal sealed class JwtOptionsSetup(IHostEnvironment environment, IConfiguration configuration, ILogger<JwtOptionsSetup> logger)
    : IPostConfigureOptions<JwtOptions>, IValidateOptions<JwtOptions>
{
    // Public by design: it signs nothing that matters, and only ever in Development.
    private const string DevelopmentKey = "development-only-key-do-not-use-in-production-0123456789";

    private int _warned;

    public void PostConfigure(string? name, JwtOptions options)
    {
        // An issuer set explicitly wins (the HS256 drop-in keeps 'user-services'); otherwise a public address makes
        // the issuer a URL, which is what RFC 8414 and OpenID discovery compare the metadata's issuer with.
        if (string.IsNullOrEmpty(configuration[$"{JwtOptions.Section}:{nameof(JwtOptions.Issuer)}"]) && !string.IsNullOrEmpty(options.PublicBaseUrl))
        {
            options.Issuer = options.PublicBaseUrl.TrimEnd('/');
        }

        if (string.IsNullOrEmpty(options.SecretKey) && environment.IsDevelopment() && options.Algorithm == "HS256")
        {
            options.SecretKey = DevelopmentKey;
            options.UsesDevelopmentKey = true;
        }
    }

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        // Validation runs more than once at start (ValidateOnStart, then the first use); one warning is enough.
        if (options.UsesDevelopmentKey && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            logger.LogWarning("SECRET_KEY is not set: using the fixed development key. Tokens are forgeable; never run like this outside Development.");
        }

        if (!Clients.ClientIds.IsValid(options.DefaultClientId))
        {
            return ValidateOptionsResult.Fail($"Jwt:DefaultClientId must be 1 to {Clients.ClientIds.MaxLength} printable ASCII characters.");
        }

        if (options.Algorithm is "RS256" or "ES256")
        {
            if (string.IsNullOrWhiteSpace(options.SigningKeyPath))
            {
                return ValidateOptionsResult.Fail($"Jwt:Algorithm is {options.Algorithm}: set JWT_SIGNING_KEY_PATH (Jwt:SigningKeyPath) to a PEM private key.");
            }

            var problems = new[] { options.SigningKeyPath }.Concat(options.VerificationKeyPaths)
                .Select(path => SigningKeys.ProblemWith(path, options.Algorithm))
                .OfType<string>()
                .Select(problem => $"Jwt key: {problem}")
                .ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }

        if (options.Algorithm != "HS256")
        {
            return ValidateOptionsResult.Fail($"JWT_ALGORITHM (Jwt:Algorithm) '{options.Algorithm}' is not supported; use HS256, RS256 or ES256.");
        }

        if (options.PreviousSecretKeys.Any(k => Encoding.UTF8.GetByteCount(k) < JwtOptions.MinimumSecretBytes))
        {
            return ValidateOptionsResult.Fail($"Every Jwt:PreviousSecretKeys entry must be at least {JwtOptions.MinimumSecretBytes} bytes.");
        }

        if (string.IsNullOrEmpty(options.SecretKey))
        {
            return ValidateOptionsResult.Fail(
                $"SECRET_KEY is not set: set it to a random string of at least {JwtOptions.MinimumSecretBytes} bytes (e.g. `openssl rand -hex 32`).");
        }

        var bytes = Encoding.UTF8.GetByteCount(options.SecretKey);
        return bytes < JwtOptions.MinimumSecretBytes
            ? ValidateOptionsResult.Fail($"SECRET_KEY is {bytes} bytes; it must be at least {JwtOptions.MinimumSecretBytes} (e.g. `openssl rand -hex 32`).")
            : ValidateOptionsResult.Success;
    }
}
