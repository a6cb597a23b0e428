using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Auth;

public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public const int MinimumSecretBytes = 32;

    /// <summary>
    /// SECRET_KEY, used as its UTF-8 bytes the way python-jose used it, so services that verify tokens with the
    /// same secret keep working.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>HS256 (SECRET_KEY), RS256 or ES256 (a PEM private key at <see cref="SigningKeyPath"/>).</summary>
    public string Algorithm { get; set; } = "HS256";

    /// <summary>PEM private key for RS256/ES256 (JWT_SIGNING_KEY_PATH).</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>PEM keys (public or private) of earlier signing keys, still accepted while their tokens live.</summary>
    public string[] VerificationKeyPaths { get; set; } = [];

    /// <summary>Earlier HS256 secrets, still accepted while their tokens live.</summary>
    public string[] PreviousSecretKeys { get; set; } = [];

    [Required(ErrorMessage = "Jwt:Issuer must be set.")]
    public string Issuer { get; set; } = "user-services";

    [Required(ErrorMessage = "Jwt:Audience must be set.")]
    public string Audience { get; set; } = "user-services";

    /// <summary>ACCESS_TOKEN_EXPIRE_MINUTES, as the Python service called it.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Jwt:AccessTokenMinutes (ACCESS_TOKEN_EXPIRE_MINUTES) must be between 1 and 1440.")]
    public int AccessTokenMinutes { get; set; } = 30;

    /// <summary>Tolerance for clocks that disagree; the library's five-minute default keeps expired tokens alive too long.</summary>
    [Range(0, 30, ErrorMessage = "Jwt:ClockSkewSeconds must be between 0 and 30.")]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>The service's public address for discovery metadata (e.g. https://auth.example.com); unset: taken from the request.</summary>
    [Url(ErrorMessage = "Jwt:PublicBaseUrl must be an absolute URL such as https://auth.example.com.")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Set when Development fell back to the fixed development key.</summary>
    public bool UsesDevelopmentKey { get; set; }

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(AccessTokenMinutes);
}

/// <summary>Reads SECRET_KEY and ACCESS_TOKEN_EXPIRE_MINUTES; in Development only, stands in a fixed key.</summary>
internal sealed class JwtOptionsSetup(IConfiguration configuration, IHostEnvironment environment)
    : IConfigureOptions<JwtOptions>, IValidateOptions<JwtOptions>
{
    // Public by design: it signs nothing that matters, and only ever in Development.
    private const string DevelopmentKey = "development-only-key-do-not-use-in-production-0123456789";

    public void Configure(JwtOptions options)
    {
        configuration.GetSection(JwtOptions.Section).Bind(options);
        options.SecretKey = configuration["SECRET_KEY"] ?? options.SecretKey;
        options.Algorithm = configuration["JWT_ALGORITHM"] ?? options.Algorithm;
        options.SigningKeyPath = configuration["JWT_SIGNING_KEY_PATH"] ?? options.SigningKeyPath;
        if (int.TryParse(configuration["ACCESS_TOKEN_EXPIRE_MINUTES"], out var minutes))
        {
            options.AccessTokenMinutes = minutes;
        }

        if (string.IsNullOrEmpty(options.SecretKey) && environment.IsDevelopment() && options.Algorithm == "HS256")
        {
            options.SecretKey = DevelopmentKey;
            options.UsesDevelopmentKey = true;
        }
    }

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
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
