using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LoadGen;

/// <summary>The accounts the profile and login loads use: registered, then logged in once each for a bearer token.</summary>
internal sealed class UserPool
{
    private readonly Target _target;
    private readonly string[] _users;
    private readonly string[] _tokens;

    private UserPool(Target target, string[] users, string[] tokens)
    {
        _target = target;
        _users = users;
        _tokens = tokens;
    }

    /// <param name="signIn">False: registered only, for loads that sign in themselves (the pool then has no <see cref="AccessTokens"/>).</param>
    public static async Task<UserPool> PrepareAsync(Target target, Uri baseAddress, string[] users, bool signIn = true)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4 };
        await Parallel.ForEachAsync(users, parallel, async (user, cancellationToken) =>
        {
            using var response = await client.SendAsync(target.Register(user), cancellationToken);
            await ExpectAsync(response, target.Registered, $"registering {user} with {target.Name}");
        });
        var tokens = new string[signIn ? users.Length : 0];
        if (!signIn)
        {
            return new UserPool(target, users, tokens);
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), parallel, async (i, cancellationToken) =>
        {
            using var response = await client.SendAsync(target.Login(users[i]), cancellationToken);
            await ExpectAsync(response, HttpStatusCode.OK, $"logging {users[i]} in to {target.Name}");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            tokens[i] = target.TokenOf(body.RootElement);
        });
        return new UserPool(target, users, tokens);
    }

    /// <summary>One access token per user, from its sign-in at setup.</summary>
    public IReadOnlyList<string> AccessTokens => _tokens;

    /// <summary><c>GET /user/user</c> with the pool's bearer tokens in turn.</summary>
    public LoadSpec Profile(int connections) => new(Target.ProfileName, connections, HttpStatusCode.OK, n =>
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Target.ProfilePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[n % _tokens.Length]);
        return request;
    });

    public IReadOnlyList<string> Users => _users;

    /// <summary>The target's login with the pool's accounts in turn: each one a full password verification.</summary>
    public LoadSpec Login(int connections) => new(_target.LoginName, connections, HttpStatusCode.OK, n => _target.Login(_users[n % _users.Length]));

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
