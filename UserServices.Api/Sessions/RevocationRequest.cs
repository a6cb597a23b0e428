using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Clients;

namespace UserServices.Api.Sessions;

/// <summary>RFC 7009 token revocation form.</summary>
public sealed class RevocationRequest : IClientCredentialFields
{
    [FromForm(Name = "token")]
    public string? Token { get; set; }

    /// <summary>Accepted and ignored: only refresh tokens are stateful, so only they can be revoked.</summary>
    [FromForm(Name = "token_type_hint")]
    public string? TokenTypeHint { get; set; }

    /// <summary>A public client's id, or a confidential client's with <see cref="ClientSecret"/> (when not using HTTP Basic).</summary>
    [FromForm(Name = "client_id")]
    public string? ClientId { get; set; }

    [FromForm(Name = "client_secret")]
    public string? ClientSecret { get; set; }

    /// <summary><c>urn:ietf:params:oauth:client-assertion-type:jwt-bearer</c> with <c>client_assertion</c>: <c>private_key_jwt</c> (RFC 7523 §2.2).</summary>
    [FromForm(Name = "client_assertion_type")]
    public string? ClientAssertionType { get; set; }

    /// <summary>A JWT signed with the client's registered key, instead of a secret.</summary>
    [FromForm(Name = "client_assertion")]
    public string? ClientAssertion { get; set; }
}
