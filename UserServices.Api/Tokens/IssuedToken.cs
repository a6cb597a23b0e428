namespace UserServices.Api.Tokens;

/// <summary>A signed access token and how long it lives.</summary>
public sealed record IssuedToken(string AccessToken, int ExpiresInSeconds);
