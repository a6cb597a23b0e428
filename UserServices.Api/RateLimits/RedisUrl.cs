using System.Globalization;
using StackExchange.Redis;

namespace UserServices.Api.RateLimits;

/// <summary>
/// <c>REDIS_URL</c>: <c>redis://[[user]:password@]host[:port][/db]</c> (<c>rediss://</c> for TLS), the form most
/// hosting providers hand out, or a StackExchange.Redis configuration string (<c>host:6379,password=…</c>).
/// </summary>
public static class RedisUrl
{
    private const int DefaultPort = 6379;

    /// <summary>The connection options, or a <see cref="FormatException"/> whose message never repeats the value (it may hold a password).</summary>
    public static ConfigurationOptions Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var options = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value) : FromConfigurationString(value);

        // A replica must keep serving while Redis is away (the limits fall back to memory), so: no failure at start,
        // no command queued while disconnected, a short wait per command, and a reconnect attempt every second.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        if (!value.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = 1000;
        }

        if (!value.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.ConnectTimeout = 2000;
        }

        options.ClientName ??= "userservices";
        return options;
    }

    private static ConfigurationOptions FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("expected redis://[:password@]host[:port][/db] or a StackExchange.Redis configuration string");
        }

        var options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
        options.EndPoints.Add(uri.DnsSafeHost, uri.Port > 0 ? uri.Port : DefaultPort);
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            options.User = user.Length > 0 ? user : null;
            options.Password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            if (!int.TryParse(database, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException("the database after the host must be a number (redis://host:6379/0)");
            }

            options.DefaultDatabase = number;
        }

        return options;
    }

    private static ConfigurationOptions FromConfigurationString(string value)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(value);
        }
        catch (ArgumentException)
        {
            throw new FormatException("not a valid StackExchange.Redis configuration string");
        }

        if (options.EndPoints.Count == 0)
        {
            throw new FormatException("names no host");
        }

        return options;
    }
}
