using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;

namespace UserServices.Api.Clients;

/// <summary>
/// Tells which registered client a request comes from: HTTP Basic (<c>client_secret_basic</c>) or
/// <c>client_id</c>/<c>client_secret</c> in the form (<c>client_secret_post</c>), a signed assertion
/// (<c>private_key_jwt</c>, <see cref="ClientAssertion"/>), or <c>client_id</c> alone for a public client. With no
/// clients registered, every request passes with the client_id it names, as before.
/// </summary>
public sealed class ClientAuthentication(IOptions<ClientOptions> options, ClientAssertion assertions, AuditLog audit)
{
    /// <summary>RFC 7617 requires a realm; RFC 6749 §5.2 requires the scheme the client should have used.</summary>
    public const string Challenge = "Basic realm=\"user-services\"";

    public const string UnknownClientDetail = "The client is unknown or its credentials are wrong.";

    public const string ReplayedAssertionDetail = "The client assertion was used already: sign a new one, with a new 'jti', for every request.";

    public const string AssertionTypeDetail = $"Send client_assertion_type={ClientAssertion.Type} together with client_assertion.";

    public ClientOptions Clients => options.Value;

    public async Task<ClientAuthenticationResult> AuthenticateAsync(HttpRequest request, IClientCredentialFields form, CancellationToken cancellationToken)
    {
        var formClientId = NullIfEmpty(form.ClientId);
        var formClientSecret = NullIfEmpty(form.ClientSecret);
        var isBasic = BasicCredentials.TryRead(request.Headers.Authorization.ToString(), out var basic);

        if (!Clients.AnyRegistered)
        {
            return AnyClient(formClientId ?? basic?.ClientId);
        }

        var assertionType = NullIfEmpty(form.ClientAssertionType);
        var assertion = NullIfEmpty(form.ClientAssertion);
        if (assertionType is not null || assertion is not null)
        {
            // RFC 6749 §2.3: one authentication method per request.
            return isBasic || formClientSecret is not null
                ? Refused(OneMethodOnly())
                : await AssertionAsync(request, formClientId, assertionType, assertion, cancellationToken);
        }

        string? clientId = formClientId;
        string? secret = formClientSecret;
        if (isBasic)
        {
            if (basic is null)
            {
                return Refused(ProblemResponses.InvalidClient("The Authorization header is not valid HTTP Basic client authentication."));
            }

            if (formClientSecret is not null || (formClientId is not null && formClientId != basic.ClientId))
            {
                return Refused(OneMethodOnly());
            }

            clientId = basic.ClientId;
            secret = basic.Secret.Length == 0 ? null : basic.Secret;
        }

        if (clientId is null)
        {
            return Refused(ProblemResponses.InvalidClient("No client identified: send client_id (public clients) or authenticate with HTTP Basic, client_id and client_secret, or a client assertion."));
        }

        return BySecret(clientId, secret);
    }

    /// <summary>As before clients existed: any client_id or none, no secret checked. It only names the token's client_id.</summary>
    private static ClientAuthenticationResult AnyClient(string? named) =>
        named is null || ClientIds.IsValid(named)
            ? Passed(new AuthenticatedClient(named, null))
            : Refused(ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request",
                $"The 'client_id' field must be 1 to {ClientIds.MaxLength} printable ASCII characters."));

    /// <summary>A registered client named by <paramref name="clientId"/>, proving itself with <paramref name="secret"/> or, if public, with none.</summary>
    private ClientAuthenticationResult BySecret(string clientId, string? secret)
    {
        var client = Find(clientId);
        var authenticated = client switch
        {
            null or { Enabled: false } => false,
            // A client registered with a key proves itself with the key only, never with a secret (and the reverse).
            { UsesKey: true } => false,
            { IsConfidential: true } => secret is not null && SecretsMatch(secret, client.ClientSecret!),
            // A public client has no secret; one that sends a secret is not that client.
            _ => secret is null,
        };
        return authenticated ? Passed(new AuthenticatedClient(clientId, client)) : Refused(ProblemResponses.InvalidClient(UnknownClientDetail));
    }

    /// <summary>The same, for endpoints only confidential clients may call (RFC 7662 introspection).</summary>
    public async Task<ClientAuthenticationResult> AuthenticateConfidentialAsync(HttpRequest request, IClientCredentialFields form, CancellationToken cancellationToken)
    {
        var result = await AuthenticateAsync(request, form, cancellationToken);
        return result.Client is { IsConfidential: false }
            ? Refused(ProblemResponses.InvalidClient(ConfidentialOnlyDetail))
            : result;
    }

    public const string ConfidentialOnlyDetail = "Only a registered confidential client may call this endpoint: authenticate with its secret or a client assertion.";

    private async Task<ClientAuthenticationResult> AssertionAsync(
        HttpRequest request, string? formClientId, string? assertionType, string? assertion, CancellationToken cancellationToken)
    {
        if (assertionType != ClientAssertion.Type || assertion is null)
        {
            return Refused(ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request", AssertionTypeDetail));
        }

        // RFC 7521 §4.2: client_id is optional; when sent, it must name the client the assertion is from.
        var claimed = ClientAssertion.ClaimedClientId(assertion);
        if (claimed is null || (formClientId is not null && formClientId != claimed) || Find(claimed) is not { Enabled: true, UsesKey: true } client)
        {
            return Refused(ProblemResponses.InvalidClient(UnknownClientDetail));
        }

        switch (await assertions.CheckAsync(client, assertion, request, cancellationToken))
        {
            case ClientAssertionVerdict.Accepted:
                return Passed(new AuthenticatedClient(client.ClientId, client));
            case ClientAssertionVerdict.Replayed(var jti):
                // A copy of a used assertion is a stolen one, or a client that must be fixed: either way someone should look.
                await audit.WriteNowAsync(AuditActions.ClientAssertionReplayed, null, null, $"client {client.ClientId}, jti {jti}");
                return Refused(ProblemResponses.InvalidClient(ReplayedAssertionDetail));
            case ClientAssertionVerdict.Invalid(var reason):
                return Refused(ProblemResponses.InvalidClient($"The client assertion is not valid: {reason}"));
            case var other:
                throw new InvalidOperationException($"Unhandled assertion verdict {other}.");
        }
    }

    private RegisteredClient? Find(string clientId) =>
        Clients.Registered.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));

    private static Microsoft.AspNetCore.Mvc.ProblemDetails OneMethodOnly() => ProblemResponses.OAuth(StatusCodes.Status400BadRequest, "invalid_request",
        "Authenticate the client one way: HTTP Basic, client_id and client_secret in the body, or a client assertion, not two.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Constant time in the secret: comparing fixed-length digests hides both where and whether the lengths differ.</summary>
    private static bool SecretsMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static ClientAuthenticationResult Passed(AuthenticatedClient client) => new(client, null);

    private static ClientAuthenticationResult Refused(Microsoft.AspNetCore.Mvc.ProblemDetails problem) => new(null, problem);
}
