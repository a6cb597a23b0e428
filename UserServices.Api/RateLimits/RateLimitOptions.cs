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

    /// <summary>Registrations per client address per minute: also what bounds probing for taken usernames.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:RegisterPerClientPerMinute must be at least 1.")]
    public int RegisterPerClientPerMinute { get; set; } = 10;

    /// <summary>
    /// Where the limits are counted when several replicas must enforce them together (<c>REDIS_URL</c>); unset,
    /// each replica counts in its own memory.
    /// </summary>
    public string? RedisUrl { get; set; }
}
