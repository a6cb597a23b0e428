using System.Security.Cryptography;
using OtpNet;

namespace UserServices.Api.Mfa;

/// <summary>
/// RFC 6238 as authenticator apps use it — HMAC-SHA-1, 6 digits, 30-second steps — through Otp.NET. Which steps are
/// accepted, and that each is accepted once, is decided by the caller against the database.
/// </summary>
public static class TotpCodes
{
    public const int Digits = 6;
    public const int PeriodSeconds = 30;

    /// <summary>RFC 4226 §4 asks for 128 bits at least and recommends 160: the length of an HMAC-SHA-1 key.</summary>
    public const int SecretBytes = 20;

    /// <summary>A code of the step before or after the current one is accepted too (RFC 6238 §5.2: one step of drift).</summary>
    private static readonly VerificationWindow OneStep = new(previous: 1, future: 1);

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>RFC 4648 base32 without padding (160 bits are exactly 32 characters), as apps expect it typed.</summary>
    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    public static string OtpAuthUri(string issuer, string userName, byte[] secret)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(userName);
        return $"otpauth://totp/{label}?secret={Base32(secret)}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={PeriodSeconds}";
    }

    /// <summary>The time step <paramref name="code"/> is the code of, within one step of <paramref name="now"/>; null when it is none.</summary>
    public static long? MatchingStep(byte[] secret, string? code, DateTimeOffset now)
    {
        if (code is not { Length: Digits } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(secret, PeriodSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, OneStep) ? step : null;
    }
}
