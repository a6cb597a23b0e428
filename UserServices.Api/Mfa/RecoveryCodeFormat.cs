using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace UserServices.Api.Mfa;

/// <summary>
/// Recovery codes: 80 random bits each, shown as 16 base32 characters in groups of four (<c>ABCD-EFGH-IJKL-MNOP</c>),
/// stored as SHA-256. A fast hash is enough here, unlike for passwords: bcrypt's cost protects guessable secrets,
/// and no one can try 2^80 codes against a stolen hash; a plain digest also lets one indexed DELETE find and spend
/// a code, where salted hashes would need each of the account's codes checked in turn.
/// </summary>
public static class RecoveryCodeFormat
{
    public const int Count = 10;
    public const int Bytes = 10;

    /// <summary>Longer input is no code of ours; refused before hashing.</summary>
    public const int MaxLength = 64;

    public static string[] NewCodes() => [.. Enumerable.Range(0, Count).Select(_ => NewCode())];

    /// <summary>Case, spaces and dashes do not matter, so a code read aloud or retyped still works.</summary>
    public static string Hash(string code)
    {
        var canonical = new string([.. code.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant)]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string NewCode()
    {
        var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(Bytes));
        return string.Join('-', text.Chunk(4).Select(chunk => new string(chunk)));
    }
}
