namespace UserServices.Api.Clients;

/// <summary>The registered OAuth2 clients (<c>Clients:0:ClientId</c>, <c>Clients__0__ClientSecret</c>, …).</summary>
public sealed class ClientOptions
{
    public const string Section = "Clients";

    public List<RegisteredClient> Registered { get; set; } = [];

    /// <summary>No clients configured: every request is accepted with whatever client_id it names, as before clients existed.</summary>
    public bool AnyRegistered => Registered.Count > 0;
}
