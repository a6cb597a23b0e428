using System.Text.Json.Serialization;

namespace UserServices.Api.Mfa;

/// <summary>A new authenticator secret (base32, RFC 4648, no padding) and the <c>otpauth://</c> URI an app scans or opens.</summary>
public sealed record TotpEnrolment(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("otpauth_uri")] string OtpAuthUri);
