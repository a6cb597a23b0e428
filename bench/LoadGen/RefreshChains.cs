using System.Net;
using System.Text.Json;

namespace LoadGen;

/// <summary>
/// Refresh-token rotation: one sign-in per worker, each refreshed with the token its previous refresh returned. A
/// refresh token is single use: sent again after the reuse interval (10 s by default) it is taken as theft and ends
/// the session, so no token is ever sent twice, and a chain whose answer was lost stops (see <see cref="LoadSpec.Chains"/>).
/// </summary>
internal sealed class RefreshChains
{
    public const string Name = "POST /user/token (refresh_token)";

    private readonly string[] _firstTokens;

    private RefreshChains(string[] firstTokens) => _firstTokens = firstTokens;

    /// <summary>Signs in <paramref name="sessions"/> times with the password (the users in turn): one session per worker.</summary>
    public static async Task<RefreshChains> SignInAsync(Target target, Uri baseAddress, IReadOnlyList<string> users, int sessions)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var tokens = new string[sessions];
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            using var response = await client.SendAsync(target.Login(users[i % users.Count]), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            tokens[i] = response.StatusCode == HttpStatusCode.OK && RefreshTokenOf(body) is { } token
                ? token
                : throw new InvalidOperationException($"signing in for a refresh chain: {(int)response.StatusCode}: {body}");
        });
        return new RefreshChains(tokens);
    }

    /// <summary>One worker per session.</summary>
    public LoadSpec Load() => new(Name, _firstTokens.Length, HttpStatusCode.OK, null) { Chains = worker => new Chain(_firstTokens[worker]) };

    private static string? RefreshTokenOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("refresh_token", out var token) ? token.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Chain(string first) : IRequestChain
    {
        private string _token = first;

        public HttpRequestMessage Next() => new(HttpMethod.Post, "/user/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", _token)]),
        };

        public string? Answered(string body)
        {
            if (RefreshTokenOf(body) is not { } next)
            {
                return $"no refresh_token in the answer: {body}";
            }

            _token = next;
            return null;
        }
    }
}
