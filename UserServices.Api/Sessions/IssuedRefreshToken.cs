namespace UserServices.Api.Sessions;

/// <summary>
/// A new refresh token (shown to the client once) and what its sign-in session carries into every access token:
/// the family, the client it was issued to, when the password login happened and the scopes granted then.
/// </summary>
public sealed record IssuedRefreshToken(string Token, Guid FamilyId, string? ClientId, DateTime AuthTime, string? Scope);
