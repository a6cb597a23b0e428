using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Tokens;

/// <summary>What a bearer token's JOSE header must say, beyond the algorithm and key the validation parameters check.</summary>
public static class AccessTokenHeader
{
    /// <summary>
    /// The validator of the header's <c>typ</c>, which is also where the header is read: <c>at+jwt</c> or
    /// <c>application/at+jwt</c> (RFC 9068 §4 takes both; media types compare case-insensitively), and no
    /// <c>crit</c> (<see cref="CriticalHeader"/>).
    /// </summary>
    public static string ValidateType(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        if (token is JsonWebToken jwt && CriticalHeader.IsListed(jwt))
        {
            throw new SecurityTokenInvalidTypeException("The token's header lists critical extensions, which this service does not understand.");
        }

        var bare = type is not null && type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type;
        if (!string.Equals(bare, AccessTokenClaims.TokenType, StringComparison.OrdinalIgnoreCase))
        {
            throw new SecurityTokenInvalidTypeException($"The token's type is '{type}', not '{AccessTokenClaims.TokenType}'.") { InvalidType = type };
        }

        return type!;
    }
}
