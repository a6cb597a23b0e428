using System.Buffers.Text;
using System.Text.Json;

namespace UserServices.Tests.Infrastructure;

/// <summary>Reads a compact JWT's header and payload the way any client would: base64url, then JSON.</summary>
public static class JwtParts
{
    public static JsonElement Header(string token) => Decode(token.Split('.')[0]);

    public static JsonElement Payload(string token) => Decode(token.Split('.')[1]);

    private static JsonElement Decode(string segment)
    {
        using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(segment));
        return document.RootElement.Clone();
    }
}
