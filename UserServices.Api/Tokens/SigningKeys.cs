using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Tokens;

/// <summary>
/// The keys tokens are signed and checked with, loaded once from configuration and shared: HS256 with
/// SECRET_KEY (the default), or RS256/ES256 with a PEM private key. Older keys can stay configured for
/// verification so that rotating the signing key logs nobody out.
/// </summary>
public sealed class SigningKeys
{
    public SigningKeys(IOptions<JwtOptions> options)
    {
        var jwt = options.Value;
        Algorithm = jwt.Algorithm;
        SecurityKey signingKey = Algorithm == SecurityAlgorithms.HmacSha256
            ? Symmetric(jwt.SecretKey!)
            : LoadPem(jwt.SigningKeyPath!, Algorithm);
        SigningCredentials = new SigningCredentials(signingKey, Algorithm);

        var previous = Algorithm == SecurityAlgorithms.HmacSha256
            ? jwt.PreviousSecretKeys.Select(secret => (SecurityKey)Symmetric(secret))
            : jwt.VerificationKeyPaths.Select(path => (SecurityKey)LoadPem(path, Algorithm));
        VerificationKeys = [signingKey, .. previous];
        // The secret of HS256 is never published; asymmetric keys publish their public halves only.
        PublicKeys = Algorithm == SecurityAlgorithms.HmacSha256 ? [] : [.. VerificationKeys.Select(PublicJwk)];
    }

    public string Algorithm { get; }

    public SigningCredentials SigningCredentials { get; }

    public IReadOnlyList<SecurityKey> VerificationKeys { get; }

    public IReadOnlyList<JsonWebKey> PublicKeys { get; }

    /// <summary>Reads a PEM key the way the service will, for start-up validation's sake.</summary>
    public static string? ProblemWith(string path, string algorithm)
    {
        try
        {
            LoadPem(path, algorithm);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return $"cannot read a {algorithm} key from '{path}': {e.Message}";
        }
    }

    private static SymmetricSecurityKey Symmetric(string secret)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        key.KeyId = KeyIdOf(key);
        return key;
    }

    private static AsymmetricSecurityKey LoadPem(string path, string algorithm)
    {
        var pem = File.ReadAllText(path);
        AsymmetricSecurityKey key;
        if (algorithm == SecurityAlgorithms.RsaSha256)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            key = new RsaSecurityKey(rsa);
        }
        else
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            if (ecdsa.KeySize != 256)
            {
                throw new ArgumentException($"ES256 needs a P-256 key; this one has {ecdsa.KeySize} bits.");
            }

            key = new ECDsaSecurityKey(ecdsa);
        }

        key.KeyId = KeyIdOf(key);
        return key;
    }

    /// <summary>RFC 7638 thumbprint: the same key always gets the same kid, wherever it is loaded.</summary>
    private static string KeyIdOf(SecurityKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());

    private static JsonWebKey PublicJwk(SecurityKey key)
    {
        SecurityKey publicOnly = key switch
        {
            RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = key.KeyId },
            ECDsaSecurityKey ec => new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = key.KeyId },
            _ => throw new InvalidOperationException($"{key.GetType().Name} has no public half to publish."),
        };
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(publicOnly);
        jwk.Use = "sig";
        jwk.Alg = key is RsaSecurityKey ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256;
        return jwk;
    }
}
