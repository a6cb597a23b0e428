using Microsoft.Extensions.Options;
using UserServices.Api.Clients;
using UserServices.Api.Monitoring;
using UserServices.Api.RateLimits;

namespace UserServices.Api.Tokens;

/// <summary>
/// RFC 6749 §4.4: a registered confidential client gets an access token for itself. Nothing is written to the
/// database (a client assertion's replay record aside, made during authentication): the token is checked by its
/// signature, and by introspection against the client list, so no per-token row is needed, nor an audit event
/// (there would be one per call of every backend).
/// </summary>
public sealed class ClientCredentialsGrant(TokenIssuer issuer, ClientCredentialsThrottle throttle, ServiceMetrics metrics, IOptions<JwtOptions> jwt)
{
    public async Task<ClientCredentialsOutcome> IssueAsync(RegisteredClient client, string? scope, string? resource, CancellationToken cancellationToken)
    {
        var audiences = client.Audiences.Count == 0 ? [jwt.Value.Audience] : client.Audiences;
        if (!string.IsNullOrEmpty(resource))
        {
            // RFC 8707: the token is narrowed to the one resource server asked for, which must be one the client may call.
            if (!audiences.Contains(resource, StringComparer.Ordinal))
            {
                metrics.RecordClientCredentials(client.ClientId, ClientCredentialsResult.InvalidTarget);
                return new ClientCredentialsOutcome.InvalidTarget($"The resource '{resource}' is not one this client may get tokens for.");
            }

            audiences = [resource];
        }

        using var lease = await throttle.AcquireAsync(client.ClientId, cancellationToken);
        if (!lease.IsAcquired)
        {
            metrics.RecordClientCredentials(client.ClientId, ClientCredentialsResult.RateLimited);
            return new ClientCredentialsOutcome.RateLimited(AuthRateLimiting.RetryAfter(lease));
        }

        // All the client's scopes when it asks for none (RFC 6749 §3.3 lets the server choose a default).
        var granted = string.IsNullOrEmpty(scope)
            ? (client.AllowedScopes.Count == 0 ? null : string.Join(' ', client.AllowedScopes.Distinct(StringComparer.Ordinal)))
            : Scopes.Narrow(client.AllowedScopes, scope);
        var lifetime = TimeSpan.FromMinutes(client.AccessTokenMinutes ?? jwt.Value.AccessTokenMinutes);
        var token = issuer.IssueForClient(client.ClientId, audiences, granted, lifetime);
        metrics.RecordClientCredentials(client.ClientId, ClientCredentialsResult.Issued);
        return new ClientCredentialsOutcome.Issued(token, granted);
    }
}
