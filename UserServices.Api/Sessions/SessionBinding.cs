using System.Security.Cryptography;
using System.Text;

namespace UserServices.Api.Sessions;

/// <summary>What ties a token to its sign-in session and to the state of its account when it was issued.</summary>
public static class SessionBinding
{
    /// <summary>The claim naming the refresh-token family (the sign-in session) an access token belongs to.</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>
    /// The claim holding a digest of Identity's security stamp. The stamp changes when the password changes or the
    /// account is locked, so comparing it on each use ends tokens issued before; the digest keeps the stamp private.
    /// </summary>
    public const string StampDigestClaim = "sst";

    public static string DigestOf(string? securityStamp) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp ?? "")), 0, 12);
}
