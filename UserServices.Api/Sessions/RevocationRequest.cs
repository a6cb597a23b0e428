using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Sessions;

/// <summary>RFC 7009 token revocation form.</summary>
public sealed class RevocationRequest
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
}
