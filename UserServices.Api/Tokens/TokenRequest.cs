using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Clients;

namespace UserServices.Api.Tokens;

/// <summary>
/// The OAuth2 password form (RFC 6749 §4.3), as FastAPI's OAuth2PasswordRequestForm accepted it, and the
/// refresh grant (§6), the client-credentials grant (§4.4), the second steps of a two-factor sign-in and the passkey grant.
/// </summary>
public sealed class TokenRequest : IClientCredentialFields
{
    /// <summary>
    /// Optional, as in the original (meaning <c>password</c>); else <c>password</c>, <c>refresh_token</c>,
    /// <c>client_credentials</c>, <c>http://auth0.com/oauth/grant-type/mfa-otp</c> or <c>…/mfa-recovery-code</c>.
    /// </summary>
    [FromForm(Name = "grant_type")]
    public string? GrantType { get; set; }

    [FromForm(Name = "username")]
    public string? Username { get; set; }

    [FromForm(Name = "password")]
    public string? Password { get; set; }

    /// <summary>
    /// A current code of the account's authenticator: with the password grant (one step, as Identity's clients send
    /// it), or with <c>mfa-otp</c> and <c>mfa_token</c> (Auth0's second step).
    /// </summary>
    [FromForm(Name = "otp")]
    public string? Otp { get; set; }

    /// <summary>Keycloak's name for <c>otp</c> in the password grant.</summary>
    [FromForm(Name = "totp")]
    public string? Totp { get; set; }

    /// <summary>From the <c>mfa_required</c> answer, for the <c>mfa-otp</c> and <c>mfa-recovery-code</c> grants.</summary>
    [FromForm(Name = "mfa_token")]
    public string? MfaToken { get; set; }

    /// <summary>For <c>mfa-recovery-code</c>: one of the account's recovery codes (spent by the sign-in).</summary>
    [FromForm(Name = "recovery_code")]
    public string? RecoveryCode { get; set; }

    /// <summary>For <c>grant_type=refresh_token</c>.</summary>
    [FromForm(Name = "refresh_token")]
    public string? RefreshToken { get; set; }

    /// <summary>Space-separated scopes, narrowed to the client's allowed ones; ignored while no clients are registered.</summary>
    [FromForm(Name = "scope")]
    public string? Scope { get; set; }

    /// <summary>
    /// For <c>client_credentials</c> (RFC 8707): the one resource server, of the client's configured audiences, the
    /// token is for; absent: all of them.
    /// </summary>
    [FromForm(Name = "resource")]
    public string? Resource { get; set; }

    /// <summary>For the passkey grant: the <c>ceremony_id</c> of <c>POST /user/passkeys/login/options</c>.</summary>
    [FromForm(Name = "ceremony_id")]
    public string? CeremonyId { get; set; }

    /// <summary>For the passkey grant: the <c>PublicKeyCredential</c> <c>navigator.credentials.get</c> gave, as JSON.</summary>
    [FromForm(Name = "credential")]
    public string? Credential { get; set; }

    /// <summary>The client (RFC 6749 §2.3.1 <c>client_secret_post</c>, or a public client's id); it becomes the token's <c>client_id</c>.</summary>
    [FromForm(Name = "client_id")]
    public string? ClientId { get; set; }

    /// <summary>A confidential client's secret, when it does not use HTTP Basic; ignored while no clients are registered.</summary>
    [FromForm(Name = "client_secret")]
    public string? ClientSecret { get; set; }

    /// <summary><c>urn:ietf:params:oauth:client-assertion-type:jwt-bearer</c> with <c>client_assertion</c>: <c>private_key_jwt</c> (RFC 7523 §2.2).</summary>
    [FromForm(Name = "client_assertion_type")]
    public string? ClientAssertionType { get; set; }

    /// <summary>A JWT signed with the client's registered key, instead of a secret.</summary>
    [FromForm(Name = "client_assertion")]
    public string? ClientAssertion { get; set; }
}
