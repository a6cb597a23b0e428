namespace UserServices.Api.Mfa;

/// <summary>Two-factor sign-in (<c>Mfa:</c> settings).</summary>
public sealed class MfaOptions
{
    public const string Section = "Mfa";

    /// <summary>The name authenticator apps show beside the username (the <c>otpauth://</c> label and <c>issuer</c>).</summary>
    public string Issuer { get; set; } = "UserServices";

    /// <summary>
    /// Roles whose accounts may use the endpoints their role opens (the admin API) only with a token of a two-factor
    /// sign-in (<c>mfa</c> in <c>amr</c>); empty by default, so nothing changes until an operator asks for it.
    /// </summary>
    public string[] RequiredForRoles { get; set; } = [];

    /// <summary>
    /// <c>MFA_ENCRYPTION_KEY</c>: what the authenticator secrets' key is derived from; unset, <c>SECRET_KEY</c> is.
    /// At least 32 bytes.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Earlier values of the encryption key (or of SECRET_KEY), still read, never written with: a rotation.</summary>
    public string[] PreviousEncryptionKeys { get; set; } = [];
}
