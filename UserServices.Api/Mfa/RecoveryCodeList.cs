using System.Text.Json.Serialization;

namespace UserServices.Api.Mfa;

/// <summary>Ten new recovery codes, shown this once; each signs in once in place of a one-time code.</summary>
public sealed record RecoveryCodeList([property: JsonPropertyName("recovery_codes")] IReadOnlyList<string> RecoveryCodes);
