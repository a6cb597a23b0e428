namespace UserServices.Api.Clients;

/// <summary>One entry of the <c>Clients</c> list: an OAuth2 client this service knows by its id.</summary>
public sealed class RegisteredClient
{
    public string ClientId { get; set; } = "";

    /// <summary>Set: a confidential client, which must authenticate with it. Unset: a public client, identified by its id alone.</summary>
    public string? ClientSecret { get; set; }

    /// <summary><c>password</c>, <c>refresh_token</c>; empty means both.</summary>
    public List<string> AllowedGrants { get; set; } = [];

    /// <summary>The scopes the client may be granted; a request for others is narrowed to these.</summary>
    public List<string> AllowedScopes { get; set; } = [];

    public bool IsConfidential => !string.IsNullOrEmpty(ClientSecret);

    public IEnumerable<string> Grants => AllowedGrants.Count == 0 ? GrantTypes.All : AllowedGrants;

    // The secret must never reach a log line through a formatted object.
    public override string ToString() => $"client '{ClientId}' ({(IsConfidential ? "confidential" : "public")})";
}
