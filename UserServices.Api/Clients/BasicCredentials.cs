using System.Text;

namespace UserServices.Api.Clients;

/// <summary>
/// A client id and secret from an HTTP Basic <c>Authorization</c> header (RFC 6749 §2.3.1): both are
/// form-urlencoded before they are joined with ':' and base64-encoded.
/// </summary>
public sealed record BasicCredentials(string ClientId, string Secret)
{
    private const string Scheme = "Basic ";

    /// <summary>False when the header is absent or not Basic; true with null credentials when it is Basic but malformed.</summary>
    public static bool TryRead(string? authorization, out BasicCredentials? credentials)
    {
        credentials = null;
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = authorization[Scheme.Length..].Trim();
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return true;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return true;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return true;
        }

        credentials = new BasicCredentials(FormDecode(decoded[..colon]), FormDecode(decoded[(colon + 1)..]));
        return true;
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    // The secret must never reach a log line through a formatted object.
    public override string ToString() => $"Basic credentials of '{ClientId}'";
}
