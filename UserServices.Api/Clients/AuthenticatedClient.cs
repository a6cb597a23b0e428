namespace UserServices.Api.Clients;

/// <summary>
/// The client a request comes from, after authentication. Without registered clients it is whatever
/// <c>client_id</c> the request named (possibly none), with the password and refresh grants and no scopes.
/// </summary>
public sealed record AuthenticatedClient(string? ClientId, RegisteredClient? Registration)
{
    public bool IsConfidential => Registration?.IsConfidential == true;

    // Without registered clients nobody is authenticated, so nobody may get a token for itself (client credentials).
    public bool MayUse(string grant) => (Registration?.Grants ?? GrantTypes.Default).Contains(grant, StringComparer.Ordinal);

    /// <summary>What the client asked for, narrowed to what it may have; scopes are ignored without registered clients.</summary>
    public string? GrantScopes(string? requested) => Registration is null ? null : Scopes.Narrow(Registration.AllowedScopes, requested);
}
