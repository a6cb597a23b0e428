using System.Text.Json.Serialization;

namespace UserServices.Api.Passkeys;

/// <summary>The body of <c>GET /user/passkeys</c> and <c>GET /admin/users/{id}/passkeys</c>, oldest first.</summary>
public sealed record PasskeyList([property: JsonPropertyName("passkeys")] IReadOnlyList<PasskeyView> Passkeys);
