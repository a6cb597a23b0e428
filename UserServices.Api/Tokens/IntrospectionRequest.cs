using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Tokens;

/// <summary>RFC 7662 §2.1 introspection form, with the client's credentials when it does not use HTTP Basic.</summary>
public sealed class IntrospectionRequest
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
}
