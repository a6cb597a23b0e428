using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Tokens;

namespace UserServices.Api.Clients;

/// <summary>
/// <c>private_key_jwt</c> client authentication (RFC 7523 §2.2 and §3, OIDC Core §9): a JWT signed with the client's
/// registered key, with <c>iss</c> = <c>sub</c> = the client id, <c>aud</c> = our issuer or token endpoint, an
/// <c>exp</c> at most five minutes ahead and a <c>jti</c> accepted once (<see cref="ClientAssertionReplay"/>).
/// </summary>
public sealed class ClientAssertion(ClientKeys keys, IAssertionAudiences audiences, ClientAssertionReplay replay, TimeProvider time)
{
    public const string Type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>An assertion that lives longer could be replayed for longer once stolen; five minutes is ample for a clock.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Clocks of client and server may disagree by this much (the library default of five minutes is too kind).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>An RSA-4096 signature with a generous payload is well under this; anything longer is not worth parsing.</summary>
    public const int MaxLength = 8 * 1024;

    public const int MaxJtiLength = 256;

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>The client the assertion says it comes from (its unverified <c>iss</c>); null when it is no JWT.</summary>
    public static string? ClaimedClientId(string assertion)
    {
        if (assertion.Length > MaxLength || !Handler.CanReadToken(assertion))
        {
            return null;
        }

        try
        {
            return Handler.ReadJsonWebToken(assertion).Issuer is { Length: > 0 } issuer ? issuer : null;
        }
        catch (SecurityTokenMalformedException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public async Task<ClientAssertionVerdict> CheckAsync(RegisteredClient client, string assertion, HttpRequest request, CancellationToken cancellationToken)
    {
        // Said first and plainly: the library would report 'none' or HS256 as a mere signature mismatch.
        var unverified = Handler.ReadJsonWebToken(assertion);
        if (!ClientKeys.Algorithms.Contains(unverified.Alg))
        {
            return new ClientAssertionVerdict.Invalid($"It must be signed with {string.Join(" or ", ClientKeys.Algorithms)}.");
        }

        if (CriticalHeader.IsListed(unverified))
        {
            return new ClientAssertionVerdict.Invalid("Its header lists critical extensions ('crit'), which this service does not understand.");
        }

        var validation = await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = client.ClientId,
            ValidAudiences = audiences.AcceptedBy(request),
            IssuerSigningKeys = keys.Of(client),
            // Never the token's own alg choice beyond these: 'none' and HMAC with a public key as the secret are refused.
            ValidAlgorithms = ClientKeys.Algorithms,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            // A key in the header (jwk, jku, x5u) is never used: only the registered ones.
            TryAllIssuerSigningKeys = true,
        });
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken jwt)
        {
            return new ClientAssertionVerdict.Invalid(Describe(validation.Exception));
        }

        if (jwt.Subject != client.ClientId)
        {
            return new ClientAssertionVerdict.Invalid("Its 'sub' must be the client id, as its 'iss' is.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (jwt.ValidTo > now + MaxLifetime + ClockSkew)
        {
            return new ClientAssertionVerdict.Invalid($"Its 'exp' is more than {MaxLifetime.TotalMinutes} minutes ahead.");
        }

        // Printable only: the jti is stored (PostgreSQL's text cannot hold U+0000) and shown in logs.
        if (jwt.Id is not { Length: > 0 and <= MaxJtiLength } jti || jti.Any(char.IsControl))
        {
            return new ClientAssertionVerdict.Invalid($"It needs a 'jti' of 1 to {MaxJtiLength} printable characters, new for every assertion.");
        }

        // Kept until the assertion could no longer pass the lifetime check above, skew included.
        return await replay.TryUseAsync(client.ClientId, jti, jwt.ValidTo + ClockSkew, cancellationToken)
            ? new ClientAssertionVerdict.Accepted()
            : new ClientAssertionVerdict.Replayed(jti);
    }

    private static string Describe(Exception? error) => error switch
    {
        SecurityTokenExpiredException => "It has expired.",
        SecurityTokenNotYetValidException => "It is not valid yet ('nbf').",
        SecurityTokenNoExpirationException => "It has no 'exp'.",
        SecurityTokenInvalidAudienceException => "Its 'aud' is neither this service's issuer nor its token endpoint URL.",
        SecurityTokenInvalidIssuerException => "Its 'iss' must be the client id.",
        SecurityTokenInvalidAlgorithmException => $"It must be signed with {string.Join(" or ", ClientKeys.Algorithms)}.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "Its signature does not match the client's registered key.",
        SecurityTokenMalformedException or ArgumentException => "It is not a signed JWT.",
        _ => "It is not a valid client assertion.",
    };
}
