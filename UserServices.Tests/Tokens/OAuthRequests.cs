using System.Net.Http.Headers;
using System.Text;

namespace UserServices.Tests.Tokens;

/// <summary>What the OAuth2 tests send: forms, and client credentials the way RFC 6749 §2.3.1 spells HTTP Basic.</summary>
public static class OAuthRequests
{
    public const string Password = "correct horse battery";

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    /// <summary>Id and secret are form-urlencoded before joining, as the RFC says (and most clients forget).</summary>
    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FormEncode(clientId)}:{FormEncode(secret)}")));

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, AuthenticationHeaderValue? authorization, params (string Key, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Form(fields) };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
