namespace UserServices.Api.Clients;

/// <summary>The OAuth2 grants the token endpoint knows (RFC 6749 §4.3, §4.4 and §6, Auth0's two MFA steps and the passkey extension grant).</summary>
public static class GrantTypes
{
    public const string Password = "password";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    /// <summary>Auth0's second steps of a password sign-in with two-factor sign-in on: a one-time code, or a recovery code.</summary>
    public const string MfaOtp = "http://auth0.com/oauth/grant-type/mfa-otp";
    public const string MfaRecoveryCode = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

    /// <summary>A passkey sign-in (an extension grant, RFC 6749 §4.5): a WebAuthn assertion for a ceremony begun at <c>/user/passkeys/login/options</c>.</summary>
    public const string Passkey = "urn:userservices:params:oauth:grant-type:passkey";

    /// <summary>
    /// What a client with no <c>AllowedGrants</c> may use: a client gets tokens for itself only when listed so. The MFA
    /// steps belong to the password grant: a client that may use it can finish a sign-in that needs a second factor.
    /// </summary>
    public static IReadOnlyList<string> Default { get; } = [Password, RefreshToken, MfaOtp, MfaRecoveryCode, Passkey];

    public static IReadOnlyList<string> All { get; } = [Password, RefreshToken, ClientCredentials, MfaOtp, MfaRecoveryCode, Passkey];
}
