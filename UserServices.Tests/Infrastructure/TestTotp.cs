using System.Buffers.Binary;
using System.Security.Cryptography;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// RFC 6238 computed here, independently of the service's library: HMAC-SHA-1 over the big-endian time step, RFC 4226
/// §5.3's dynamic truncation, and an RFC 4648 base32 decoder. Checked against RFC 6238's own test vectors.
/// </summary>
public static class TestTotp
{
    public const int Period = 30;

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / Period;

    public static string Code(byte[] secret, long step, int digits = 6)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238's authenticator codes are HMAC-SHA-1 by definition; HMAC-SHA-1 is not broken.
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var modulus = (int)Math.Pow(10, digits);
        return (binary % modulus).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    public static string CodeAt(byte[] secret, DateTimeOffset time, int stepOffset = 0) => Code(secret, StepAt(time) + stepOffset);

    public static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
