namespace UserServices.Api.Clients;

/// <summary>
/// The form fields a client authenticates with, on every endpoint that authenticates clients (token, revocation,
/// introspection): <c>client_id</c>/<c>client_secret</c> (RFC 6749 §2.3.1) or a signed assertion (RFC 7523 §2.2).
/// </summary>
public interface IClientCredentialFields
{
    string? ClientId { get; }

    string? ClientSecret { get; }

    string? ClientAssertionType { get; }

    string? ClientAssertion { get; }
}
