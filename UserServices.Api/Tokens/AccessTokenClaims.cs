using UserServices.Api.Hosting;
using UserServices.Api.Sessions;

namespace UserServices.Api.Tokens;

/// <summary>Names of the claims our access tokens carry, beyond the registered JWT ones.</summary>
public static class AccessTokenClaims
{
    public const string Subject = CallerClaims.Subject;
    public const string UserName = "preferred_username";
    public const string Email = "email";
    public const string Role = "role";

    /// <summary>RFC 9068 §2.2: the OAuth2 client the token was issued to.</summary>
    public const string ClientId = "client_id";

    /// <summary>RFC 9068 §2.2.1: when the password login this token's sign-in started from happened (seconds since the epoch).</summary>
    public const string AuthTime = "auth_time";

    /// <summary>RFC 9068 §2.2.1 / RFC 8176: how the sign-in authenticated (<c>["pwd"]</c>, <c>["pwd","otp","mfa"]</c>, <c>["hwk","user","mfa"]</c> for a passkey, …).</summary>
    public const string AuthMethods = "amr";

    /// <summary>RFC 9068 §2.2.3: the granted scopes, space-separated; absent when none were granted.</summary>
    public const string Scope = "scope";

    /// <summary>The refresh-token family (the sign-in session) an access token belongs to; logout ends it.</summary>
    public const string SessionId = SessionBinding.SessionIdClaim;

    /// <summary>Ends the token when the account's security stamp changes (see <see cref="SessionBinding"/>).</summary>
    public const string StampDigest = SessionBinding.StampDigestClaim;

    /// <summary>RFC 9068's media type for access tokens, so an ID token or any other JWT cannot pass as one.</summary>
    public const string TokenType = "at+jwt";
}
