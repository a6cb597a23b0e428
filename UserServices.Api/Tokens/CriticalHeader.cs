using Microsoft.IdentityModel.JsonWebTokens;

namespace UserServices.Api.Tokens;

/// <summary>
/// RFC 7515 §4.1.11: a JWS whose header lists <c>crit</c> extensions the recipient does not understand is invalid, and
/// this service understands none; IdentityModel does not check it. Asked of our access tokens and of the client
/// assertions clients sign.
/// </summary>
public static class CriticalHeader
{
    public static bool IsListed(JsonWebToken token) => token.TryGetHeaderValue<object>("crit", out _);
}
