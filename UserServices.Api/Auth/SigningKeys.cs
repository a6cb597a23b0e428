using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Auth;

/// <summary>The keys tokens are signed and checked with, made once from configuration and shared.</summary>
public sealed class SigningKeys
{
    public SigningKeys(IOptions<JwtOptions> options)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.SecretKey!));
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        VerificationKeys = [key];
        Algorithms = [SecurityAlgorithms.HmacSha256];
    }

    public SigningCredentials SigningCredentials { get; }

    public IReadOnlyList<SecurityKey> VerificationKeys { get; }

    /// <summary>The only algorithms a token may name; anything else (none, RS256 with a public key as secret...) is refused.</summary>
    public IReadOnlyList<string> Algorithms { get; }
}
