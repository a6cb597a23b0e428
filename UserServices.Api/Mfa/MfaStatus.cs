using System.Text.Json.Serialization;

namespace UserServices.Api.Mfa;

/// <summary>Whether sign-in asks for an authenticator code, and how many recovery codes are unspent.</summary>
public sealed record MfaStatus(
    [property: JsonPropertyName("totp")] bool Totp,
    [property: JsonPropertyName("recovery_codes_left")] int RecoveryCodesLeft);
