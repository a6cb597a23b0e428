using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

namespace UserServices.Api.Mfa;

/// <summary>
/// Encrypts authenticator secrets at rest with AES-256-GCM under a key derived by HKDF-SHA256 (RFC 5869) from
/// <c>MFA_ENCRYPTION_KEY</c>, or else <c>SECRET_KEY</c>: a database dump alone gives no codes. Each stored value names
/// its key (a short id), so <c>Mfa:PreviousEncryptionKeys</c> can still be read after a rotation; the account id is
/// the associated data, so a value copied onto another account does not decrypt.
/// </summary>
public sealed class TotpSecretCipher
{
    private const string Version = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] KeyInfo = Encoding.UTF8.GetBytes("UserServices TOTP secret AES-256-GCM v1");
    private static readonly byte[] IdInfo = Encoding.UTF8.GetBytes("UserServices TOTP secret key id v1");

    // Public by design, and only in Development without SECRET_KEY, as the Jwt settings do.
    private const string DevelopmentKey = "development-only-mfa-key-do-not-use-in-production-0123";

    private readonly (string Id, byte[] Key)? _current;
    private readonly Dictionary<string, byte[]> _readable = new(StringComparer.Ordinal);

    public TotpSecretCipher(IOptions<MfaOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        var source = options.Value.EncryptionKey is { Length: > 0 } own ? own
            : SettingAliases.Read(configuration, "Jwt:SecretKey") is { Length: > 0 } secret ? secret
            : environment.IsDevelopment() ? DevelopmentKey : null;
        if (source is not null)
        {
            _current = Derive(source);
            _readable[_current.Value.Id] = _current.Value.Key;
        }

        foreach (var previous in options.Value.PreviousEncryptionKeys)
        {
            var (id, key) = Derive(previous);
            _readable.TryAdd(id, key);
        }
    }

    /// <summary>False when no key is configured (RS256/ES256 without MFA_ENCRYPTION_KEY): enrolment answers 503.</summary>
    public bool IsConfigured => _current is not null;

    public string Encrypt(int userId, byte[] secret)
    {
        var (id, key) = _current ?? throw new InvalidOperationException("No MFA encryption key is configured.");
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[NonceBytes + secret.Length + TagBytes];
        nonce.CopyTo(sealedBytes, 0);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), Associated(userId));
        return $"{Version}.{id}.{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>The secret, or null when no configured key opens it (rotated away, or tampered with).</summary>
    public byte[]? Decrypt(int userId, string stored)
    {
        var parts = stored.Split('.');
        if (parts is not [Version, var id, var payload] || !_readable.TryGetValue(id, out var key))
        {
            return null;
        }

        try
        {
            var sealedBytes = Convert.FromBase64String(payload);
            var secret = new byte[sealedBytes.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), secret, Associated(userId));
            return secret;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private static (string Id, byte[] Key) Derive(string source)
    {
        var material = Encoding.UTF8.GetBytes(source);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, salt: [], info: KeyInfo);
        var id = Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 4, salt: [], info: IdInfo));
        return (id, key);
    }

    private static byte[] Associated(int userId) => Encoding.UTF8.GetBytes($"user:{userId}");
}
