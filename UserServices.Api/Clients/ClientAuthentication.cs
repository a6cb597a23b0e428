using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UserServices.Api.Hosting;

namespace UserServices.Api.Clients;

/// <summary>
/// Tells which registered client a request comes from: HTTP Basic (<c>client_secret_basic</c>) or
/// <c>client_id</c>/<c>client_secret</c> in the form (<c>client_secret_post</c>), or <c>client_id</c> alone for a
/// public client. With no clients registered, every request passes with the client_id it names, as before.
/// </summary>
public sealed class ClientAuthentication(IOptions<ClientOptions> options)
{
    /// <summary>RFC 7617 requires a realm; RFC 6749 §5.2 requires the scheme the client should have used.</summary>
    public const string Challenge = "Basic realm=\"user-services\"";

    public const string UnknownClientDetail = "The client is unknown or its credentials are wrong.";

    public ClientOptions Clients => options.Value;

    public ClientAuthenticationResult Authenticate(HttpRequest request, string? formClientId, string? formClientSecret)
    {
        formClientId = string.IsNullOrEmpty(formClientId) ? null : formClientId;
        formClientSecret = string.IsNullOrEmpty(formClientSecret) ? null : formClientSecret;
        var isBasic = BasicCredentials.TryRead(request.Headers.Authorization.ToString(), out var basic);

        if (!Clients.AnyRegistered)
        {
            // As before clients existed: any client_id or none, no secret checked. It only names the token's client_id.
            var named = formClientId ?? basic?.ClientId;
            return named is null || ClientIds.IsValid(named)
                ? Passed(new AuthenticatedClient(named, null))
                : Refused(ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request",
                    $"The 'client_id' field must be 1 to {ClientIds.MaxLength} printable ASCII characters."));
        }

        string? clientId = formClientId;
        string? secret = formClientSecret;
        if (isBasic)
        {
            if (basic is null)
            {
                return Refused(ProblemResponses.InvalidClient("The Authorization header is not valid HTTP Basic client authentication."));
            }

            // RFC 6749 §2.3: one authentication method per request.
            if (formClientSecret is not null || (formClientId is not null && formClientId != basic.ClientId))
            {
                return Refused(ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request",
                    "Authenticate the client one way: HTTP Basic or client_id and client_secret in the body, not both."));
            }

            clientId = basic.ClientId;
            secret = basic.Secret.Length == 0 ? null : basic.Secret;
        }

        if (clientId is null)
        {
            return Refused(ProblemResponses.InvalidClient("No client identified: send client_id (public clients) or authenticate with HTTP Basic or client_id and client_secret."));
        }

        var client = Clients.Registered.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));
        var authenticated = client switch
        {
            null => false,
            { IsConfidential: true } => secret is not null && SecretsMatch(secret, client.ClientSecret!),
            // A public client has no secret; one that sends a secret is not that client.
            _ => secret is null,
        };
        return authenticated ? Passed(new AuthenticatedClient(clientId, client)) : Refused(ProblemResponses.InvalidClient(UnknownClientDetail));
    }

    /// <summary>The same, for endpoints only confidential clients may call (RFC 7662 introspection).</summary>
    public ClientAuthenticationResult AuthenticateConfidential(HttpRequest request, string? formClientId, string? formClientSecret)
    {
        var result = Authenticate(request, formClientId, formClientSecret);
        return result.Client is { IsConfidential: false }
            ? Refused(ProblemResponses.InvalidClient(ConfidentialOnlyDetail))
            : result;
    }

    public const string ConfidentialOnlyDetail = "Only a registered confidential client may call this endpoint: authenticate with its client_id and client_secret.";

    /// <summary>Constant time in the secret: comparing fixed-length digests hides both where and whether the lengths differ.</summary>
    private static bool SecretsMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static ClientAuthenticationResult Passed(AuthenticatedClient client) => new(client, null);

    private static ClientAuthenticationResult Refused(Microsoft.AspNetCore.Mvc.ProblemDetails problem) => new(null, problem);
}
