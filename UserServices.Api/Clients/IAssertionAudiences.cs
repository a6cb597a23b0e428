namespace UserServices.Api.Clients;

/// <summary>
/// What a client assertion's <c>aud</c> may name (RFC 7523 §3, OIDC Core §9): the issuer or the token endpoint's
/// URL. The addresses are the discovery document's, so they come from where that is built (Tokens).
/// </summary>
public interface IAssertionAudiences
{
    IReadOnlyCollection<string> AcceptedBy(HttpRequest request);
}
