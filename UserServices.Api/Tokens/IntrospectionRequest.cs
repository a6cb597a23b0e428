using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Clients;

namespace UserServices.Api.Tokens;

/// <summary>RFC 7662 §2.1 introspection form, with the client's credentials when it does not use HTTP Basic.</summary>
public sealed class IntrospectionRequest : IClientCredentialFields
{
    [FromForm(Name = "token")]
    public string? Token { get; set; }

    /// <summary>Accepted and ignored: an access token (a JWT) and a refresh token (opaque) cannot be mistaken for each other.</summary>
    [FromForm(Name = "token_type_hint")]
    public string? TokenTypeHint { get; set; }

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
