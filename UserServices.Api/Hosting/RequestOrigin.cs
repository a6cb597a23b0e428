namespace UserServices.Api.Hosting;

/// <summary>
/// Where a request came from, as recorded beside what it did (audit events, sessions, the mail outbox): the client
/// address after the trusted-proxy rules (<c>UseForwardedHeaders</c> has already replaced a proxy's address by the
/// one it forwarded) and the user agent, cut to <see cref="MaxUserAgentLength"/>. Both are what the client says;
/// they describe, they never decide.
/// </summary>
public sealed record RequestOrigin(string? Ip, string? UserAgent)
{
    public const int MaxUserAgentLength = 256;

    /// <summary>For work that no request asked for (the CLI, background services).</summary>
    public static readonly RequestOrigin None = new(null, null);

    public static RequestOrigin Of(HttpContext? context)
    {
        if (context is null)
        {
            return None;
        }

        var address = context.Connection.RemoteIpAddress;
        // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; people read and search for a.b.c.d.
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        var agent = context.Request.Headers.UserAgent.ToString();
        return new RequestOrigin(
            address?.ToString(),
            agent.Length == 0 ? null : agent[..Math.Min(agent.Length, MaxUserAgentLength)]);
    }
}
