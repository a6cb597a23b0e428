using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.RateLimits;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Token requests per client address per minute.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:TokenPerClientPerMinute must be at least 1.")]
    public int TokenPerClientPerMinute { get; set; } = 30;

    /// <summary>Token requests per username per minute, whatever address they come from.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:TokenPerUserPerMinute must be at least 1.")]
    public int TokenPerUserPerMinute { get; set; } = 10;

    /// <summary>
    /// Client-credentials tokens per OAuth client per minute, whatever address asks: a service that fetches a token
    /// per call instead of caching it is stopped here, not by its neighbours' per-address limit.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:ClientCredentialsPerClientPerMinute must be at least 1.")]
    public int ClientCredentialsPerClientPerMinute { get; set; } = 600;

    /// <summary>Registrations per client address per minute: also what bounds probing for taken usernames.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:RegisterPerClientPerMinute must be at least 1.")]
    public int RegisterPerClientPerMinute { get; set; } = 10;

    /// <summary>
    /// Where the limits are counted when several replicas must enforce them together (<c>REDIS_URL</c>); unset,
    /// each replica counts in its own memory.
    /// </summary>
    public string? RedisUrl { get; set; }
    /// <summary>Requests that send mail (password reset, confirmation, email change) per client address per minute.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:MailPerClientPerMinute must be at least 1.")]
    public int MailPerClientPerMinute { get; set; } = 5;

    /// <summary>Mails asked for one address per hour, whatever client asks: nobody can flood a mailbox through us.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:MailPerAddressPerHour must be at least 1.")]
    public int MailPerAddressPerHour { get; set; } = 5;
}
