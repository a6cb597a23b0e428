using System.Security.Cryptography;
using System.Text;

namespace UserServices.Api.Auth;

/// <summary>Names of the claims our access tokens carry, beyond the registered JWT ones.</summary>
public static class AccessTokenClaims
{
    public const string Subject = "sub";
    public const string UserName = "preferred_username";
    public const string Email = "email";
    public const string Role = "role";

    /// <summary>The refresh-token family (the sign-in session) an access token belongs to.</summary>
    public const string SessionId = "sid";

    /// <summary>
    /// A digest of Identity's security stamp. The stamp changes when the password changes or the account is
    /// locked, so comparing it on each request ends tokens issued before; the digest keeps the stamp itself private.
    /// </summary>
    public const string StampDigest = "sst";

    /// <summary>RFC 9068's media type for access tokens, so an ID token or any other JWT cannot pass as one.</summary>
    public const string TokenType = "at+jwt";

    public static string DigestOf(string? securityStamp) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp ?? "")), 0, 12);
}
