using System.Security.Cryptography;
using System.Text;

namespace UserServices.Api.Sessions;

/// <summary>
/// Encrypts a successor refresh token under a key derived from its predecessor (HKDF-SHA256, then AES-256-GCM), so
/// the database keeps it only in a form that the predecessor's holder alone can open.
/// </summary>
public static class SuccessorSeal
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "UserServices refresh-token successor"u8.ToArray();

    public static byte[] Seal(string predecessor, string successor)
    {
        var plain = Encoding.UTF8.GetBytes(successor);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(KeyOf(predecessor), TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return sealedBytes;
    }

    /// <summary>The successor, or null when <paramref name="predecessor"/> is not the token it was sealed under.</summary>
    public static string? Open(string predecessor, byte[] sealedBytes)
    {
        if (sealedBytes.Length <= NonceSize + TagSize)
        {
            return null;
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(KeyOf(predecessor), TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain);
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    // The token carries 256 random bits, so HKDF needs no salt to make a uniform key of it.
    private static byte[] KeyOf(string token) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(token), outputLength: 32, salt: null, info: Purpose);
}
