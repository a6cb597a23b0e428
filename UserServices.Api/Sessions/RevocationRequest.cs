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
}
