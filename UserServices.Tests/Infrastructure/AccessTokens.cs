using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// Access tokens made by the test rather than the service: shaped like the service's own (issuer, audience,
/// <c>at+jwt</c>, HS256 with the test secret, 30 minutes) except for what a test changes, so that a refusal is due
/// to that one change.
/// </summary>
public static class AccessTokens
{
    public const string Issuer = "user-services";
    public const string Audience = "user-services";

    public static SigningCredentials Hs256(string secret = UserServicesApp.SecretKey) =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);

    public static string Mint(
        IDictionary<string, object> claims,
        SigningCredentials? credentials = null,
        DateTime? issuedAt = null,
        TimeSpan? lifetime = null,
        Action<SecurityTokenDescriptor>? change = null)
    {
        var issued = issuedAt ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + (lifetime ?? TimeSpan.FromMinutes(30)),
            TokenType = "at+jwt",
            SigningCredentials = credentials ?? Hs256(),
            Claims = claims,
        };
        change?.Invoke(descriptor);
        // Only the times the descriptor names: a test that removes exp must get a token without one.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The claims of <paramref name="token"/> of the given types, to mint a token for the same account.</summary>
    public static Dictionary<string, object> ClaimsOf(string token, params string[] types) =>
        new JsonWebToken(token).Claims.Where(c => types.Contains(c.Type)).ToDictionary(c => c.Type, c => (object)c.Value);
}
