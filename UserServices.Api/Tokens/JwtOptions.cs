using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Tokens;

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

    /// <summary>
    /// The <c>iss</c> of issued tokens. Unset: <see cref="PublicBaseUrl"/> when that is set (standard discovery needs
    /// the issuer to be the URL the metadata is fetched from), else <see cref="DefaultIssuer"/>.
    /// </summary>
    [Required(ErrorMessage = "Jwt:Issuer must be set.")]
    public string Issuer { get; set; } = DefaultIssuer;

    public const string DefaultIssuer = "user-services";

    /// <summary>Issuers of earlier tokens, still accepted while those tokens live (e.g. after setting Jwt:PublicBaseUrl).</summary>
    public string[] PreviousIssuers { get; set; } = [];

    /// <summary>The <c>client_id</c> of tokens whose request named no client (only possible while no clients are registered).</summary>
    [Required(ErrorMessage = "Jwt:DefaultClientId must be set.")]
    public string DefaultClientId { get; set; } = "default";

    [Required(ErrorMessage = "Jwt:Audience must be set.")]
    public string Audience { get; set; } = "user-services";

    /// <summary>ACCESS_TOKEN_EXPIRE_MINUTES, as the Python service called it.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Jwt:AccessTokenMinutes (ACCESS_TOKEN_EXPIRE_MINUTES) must be between 1 and 1440.")]
    public int AccessTokenMinutes { get; set; } = 30;

    /// <summary>Tolerance for clocks that disagree; the library's five-minute default keeps expired tokens alive too long.</summary>
    [Range(0, 30, ErrorMessage = "Jwt:ClockSkewSeconds must be between 0 and 30.")]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// The service's public address (PUBLIC_BASE_URL, e.g. https://auth.example.com) for discovery metadata and the
    /// default issuer; unset: the metadata's URLs are taken from the request.
    /// </summary>
    [Url(ErrorMessage = "Jwt:PublicBaseUrl must be an absolute URL such as https://auth.example.com.")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Set when Development fell back to the fixed development key.</summary>
    public bool UsesDevelopmentKey { get; set; }

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(AccessTokenMinutes);

    /// <summary>The issuers a token may name: the current one first, then the earlier ones.</summary>
    public IEnumerable<string> AcceptedIssuers => [Issuer, .. PreviousIssuers.Where(i => !string.IsNullOrWhiteSpace(i))];
}
