namespace UserServices.Api.Clients;

/// <summary>The OAuth2 grants the token endpoint knows (RFC 6749 §4.3 and §6).</summary>
public static class GrantTypes
{
    public const string Password = "password";
    public const string RefreshToken = "refresh_token";

    public static IReadOnlyList<string> All { get; } = [Password, RefreshToken];
}
