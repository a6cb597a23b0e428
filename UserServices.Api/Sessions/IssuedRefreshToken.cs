namespace UserServices.Api.Sessions;

/// <summary>A new refresh token (shown to the client once) and the sign-in session it belongs to.</summary>
public sealed record IssuedRefreshToken(string Token, Guid FamilyId);
