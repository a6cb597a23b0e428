using System.Text;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Clients;

/// <summary>Rules for the <c>Clients</c> list, checked at start; every message names the entry's setting.</summary>
internal sealed class ClientOptionsValidator : IValidateOptions<ClientOptions>
{
    /// <summary>Introspection is not rate-limited, so a secret has to resist guessing by its length alone.</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>The length of the refresh-token row's scope column.</summary>
    public const int MaxScopeLength = 1024;

    /// <summary>As <c>Jwt:AccessTokenMinutes</c>: a day.</summary>
    public const int MaxAccessTokenMinutes = 24 * 60;

    public ValidateOptionsResult Validate(string? name, ClientOptions options)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Registered.Count; i++)
        {
            var client = options.Registered[i];
            var setting = $"{ClientOptions.Section}:{i}";
            if (!ClientIds.IsValid(client.ClientId))
            {
                problems.Add($"{setting}:ClientId must be 1 to {ClientIds.MaxLength} printable ASCII characters.");
            }
            else if (!seen.Add(client.ClientId))
            {
                problems.Add($"{setting}:ClientId '{client.ClientId}' is registered twice.");
            }

            if (client.ClientSecret is { Length: > 0 } secret && Encoding.UTF8.GetByteCount(secret) < MinimumSecretBytes)
            {
                problems.Add($"{setting}:ClientSecret must be at least {MinimumSecretBytes} bytes (e.g. `openssl rand -hex 32`).");
            }

            problems.AddRange(client.AllowedGrants.Where(grant => !GrantTypes.All.Contains(grant))
                .Select(grant => $"{setting}:AllowedGrants: '{grant}' is not a grant of this service; use password, refresh_token, client_credentials, the two MFA grants or {GrantTypes.Passkey}."));
            problems.AddRange(KeyProblems(client, setting));
            // RFC 6749 §4.4: only a client that can prove who it is may get a token for itself.
            if (client.AllowedGrants.Contains(GrantTypes.ClientCredentials) && !client.IsConfidential)
            {
                problems.Add($"{setting}:AllowedGrants: client_credentials needs a confidential client; set ClientSecret, JwksPath or PublicKeyPath.");
            }

            if (client.AccessTokenMinutes is < 1 or > MaxAccessTokenMinutes)
            {
                problems.Add($"{setting}:AccessTokenMinutes must be between 1 and {MaxAccessTokenMinutes}.");
            }

            if (client.Audiences.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"{setting}:Audiences: an audience must not be empty.");
            }

            // Granted scopes are stored with the sign-in; more than its column holds would fail every login with a 500.
            if (string.Join(' ', client.AllowedScopes.Distinct(StringComparer.Ordinal)).Length > MaxScopeLength)
            {
                problems.Add($"{setting}:AllowedScopes together must be at most {MaxScopeLength} characters, separated by spaces.");
            }

            problems.AddRange(client.AllowedScopes.Where(scope => !Scopes.IsValidToken(scope))
                .Select(scope => $"{setting}:AllowedScopes: '{scope}' is not a valid scope (RFC 6749 §3.3: printable ASCII without spaces, '\"' or '\\\\')."));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> KeyProblems(RegisteredClient client, string setting)
    {
        if (!string.IsNullOrEmpty(client.JwksPath) && !string.IsNullOrEmpty(client.PublicKeyPath))
        {
            yield return $"{setting}: set JwksPath or PublicKeyPath, not both.";
        }
        else if (client.UsesKey && !string.IsNullOrEmpty(client.ClientSecret))
        {
            // One way to prove the client: a key that could be bypassed with a secret would protect nothing.
            yield return $"{setting}: a client authenticates with a key (JwksPath/PublicKeyPath) or a ClientSecret, not both.";
        }
        else if (client.UsesKey && ClientKeys.ProblemWith(client) is { } problem)
        {
            yield return $"{setting}: {problem}";
        }
    }
}
