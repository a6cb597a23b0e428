using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Passkeys;

/// <summary>A passkey's id in the API: its credential id in base64url, as <c>PublicKeyCredential.id</c> has it.</summary>
public static class PasskeyIds
{
    /// <summary>WebAuthn §4: a credential id is at most 1023 bytes, 1364 characters in base64url.</summary>
    public const int MaxEncodedLength = 1364;

    public static string Encode(byte[] credentialId) => Base64UrlEncoder.Encode(credentialId);

    /// <summary>The credential id, or null when <paramref name="id"/> is not base64url.</summary>
    public static byte[]? Decode(string id)
    {
        try
        {
            return id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) ? null : Base64UrlEncoder.DecodeBytes(id);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
