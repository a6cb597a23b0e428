namespace UserServices.Api.Sessions;

/// <summary>
/// A new refresh token (shown to the client once) and what its sign-in session carries into every access token:
/// the family, the client it was issued to, when the password login happened, the scopes granted then and how the
/// person authenticated (RFC 8176 <c>amr</c> values, space-separated, as the session row keeps them).
/// </summary>
public sealed record IssuedRefreshToken(string Token, Guid FamilyId, string? ClientId, DateTime AuthTime, string? Scope, string AuthMethods);
