using Microsoft.Extensions.Options;

namespace UserServices.Api.RateLimits;

/// <summary>A <c>REDIS_URL</c> that cannot be parsed stops the service at start, in one line naming the variable.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.RedisUrl))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            RedisUrl.Parse(options.RedisUrl);
            return ValidateOptionsResult.Success;
        }
        catch (FormatException e)
        {
            return ValidateOptionsResult.Fail($"REDIS_URL (RateLimits:RedisUrl) is not valid: {e.Message}.");
        }
    }
}
