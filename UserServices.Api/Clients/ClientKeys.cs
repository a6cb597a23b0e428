using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Clients;

/// <summary>
/// The public keys of the clients that authenticate with <c>private_key_jwt</c>, read once from their JWKS or PEM
/// files (checked at start by <see cref="ClientOptionsValidator"/>). Only RS256 and ES256 are accepted: what the
/// service signs with itself, and what OpenID Connect and FAPI clients use.
/// </summary>
public sealed class ClientKeys(IOptions<ClientOptions> options)
{
    public static IReadOnlyList<string> Algorithms { get; } = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<SecurityKey>>> _keys = new(() =>
        options.Value.Registered.Where(c => c.UsesKey).ToDictionary(c => c.ClientId, Load, StringComparer.Ordinal));

    /// <summary>The client's keys; empty for a client registered without one.</summary>
    public IReadOnlyList<SecurityKey> Of(RegisteredClient client) => _keys.Value.TryGetValue(client.ClientId, out var keys) ? keys : [];

    /// <summary>What is wrong with the client's key file, or null; for start-up validation.</summary>
    public static string? ProblemWith(RegisteredClient client)
    {
        try
        {
            return Load(client).Count == 0 ? $"'{client.JwksPath}' holds no RSA or P-256 signing key." : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException or System.Text.Json.JsonException)
        {
            return $"cannot read a public key from '{client.JwksPath ?? client.PublicKeyPath}': {e.Message}";
        }
    }

    private static IReadOnlyList<SecurityKey> Load(RegisteredClient client) =>
        !string.IsNullOrEmpty(client.JwksPath)
            ? new JsonWebKeySet(File.ReadAllText(client.JwksPath)).Keys
                .Where(k => k.Kty is "RSA" or "EC" && (k.Kty != "EC" || k.Crv == "P-256") && k.Use is null or "sig")
                .Select(SecurityKey (k) => k)
                .ToArray()
            : [Pem(File.ReadAllText(client.PublicKeyPath!))];

    private static SecurityKey Pem(string pem)
    {
        // A PEM names its type (PUBLIC KEY for both), so try RSA first and fall back to an EC key.
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return ecdsa.KeySize == 256
            ? new ECDsaSecurityKey(ecdsa)
            : throw new ArgumentException($"ES256 needs a P-256 key; this one has {ecdsa.KeySize} bits.");
    }
}
