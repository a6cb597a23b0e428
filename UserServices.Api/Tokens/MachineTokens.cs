using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace UserServices.Api.Tokens;

/// <summary>
/// Tells a client's own token (client credentials) from a user's: it names no session and its subject is the client
/// (RFC 9068 §2.2), where every user token carries the <c>sid</c> of its sign-in.
/// </summary>
public static class MachineTokens
{
    public static bool Is(ClaimsPrincipal principal) =>
        principal.FindFirst(AccessTokenClaims.SessionId) is null
        && principal.FindFirst(AccessTokenClaims.Subject)?.Value is { } subject
        && subject == principal.FindFirst(AccessTokenClaims.ClientId)?.Value;

    public static bool Is(JsonWebToken token) =>
        !token.TryGetClaim(AccessTokenClaims.SessionId, out _)
        && token.Subject is { Length: > 0 } subject
        && token.TryGetPayloadValue<string>(AccessTokenClaims.ClientId, out var clientId)
        && subject == clientId;
}
