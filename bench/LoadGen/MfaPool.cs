using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OtpNet;

namespace LoadGen;

/// <summary>
/// Accounts with two-factor sign-in on, each holding the <c>mfa_token</c> of a password step it has just passed:
/// the second steps (<c>grant_type=…/mfa-otp</c>) are then sent once each. Both halves are single use — a
/// <c>mfa_token</c> once, a code once per account and time step — so the phase is a count, not a time window.
/// </summary>
internal sealed class MfaPool
{
    public const string Name = "POST /user/token (mfa-otp)";
    private const string MfaOtp = "http://auth0.com/oauth/grant-type/mfa-otp";

    /// <summary>
    /// Time left in a 30 s step below which a setup waits for the next step before it sends the previous step's code,
    /// so that the service, answering a little later, still counts that code as within one step of its own clock.
    /// </summary>
    private static readonly TimeSpan StepMargin = TimeSpan.FromSeconds(5);

    private readonly Totp[] _authenticators;
    private readonly string[] _mfaTokens;

    private MfaPool(Totp[] authenticators, string[] mfaTokens)
    {
        _authenticators = authenticators;
        _mfaTokens = mfaTokens;
    }

    public int Count => _mfaTokens.Length;

    /// <summary>Registers each user, enrols and confirms an authenticator, then passes the password step once.</summary>
    public static async Task<MfaPool> PrepareAsync(Target target, Uri baseAddress, string password, IReadOnlyList<string> users)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var authenticators = new Totp[users.Count];
        var mfaTokens = new string[users.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            var user = users[i];
            await SendAsync(client, target.Register(user), target.Registered, $"registering {user}");
            var access = (await SendAsync(client, target.Login(user), HttpStatusCode.OK, $"signing {user} in")).GetProperty("access_token").GetString()!;
            var secret = (await SendAsync(client, Bearer(HttpMethod.Post, "/user/mfa/totp", access, new { password }), HttpStatusCode.OK, $"enrolling {user}"))
                .GetProperty("secret").GetString()!;
            var totp = new Totp(Base32Encoding.ToBytes(secret), 30, OtpHashMode.Sha1, 6);
            // Confirmed with the previous step's code (the service takes one step of drift): the step it marks used is
            // then behind every current code, and the second step can send the code of its own time.
            if (TimeSpan.FromSeconds(totp.RemainingSeconds()) < StepMargin)
            {
                await Task.Delay(TimeSpan.FromSeconds(totp.RemainingSeconds() + 0.1), cancellationToken);
            }

            var code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(-30));
            await SendAsync(client, Bearer(HttpMethod.Post, "/user/mfa/totp/confirm", access, new { code }), HttpStatusCode.OK, $"confirming {user}'s authenticator");
            var required = await SendAsync(client, target.Login(user), HttpStatusCode.Forbidden, $"the password step of {user}");
            mfaTokens[i] = required.GetProperty("mfa_token").GetString()!;
            authenticators[i] = totp;
        });
        return new MfaPool(authenticators, mfaTokens);
    }

    /// <summary>The second step of accounts <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1, once each, with the code of the moment the request is made.</summary>
    public LoadSpec SecondSteps(int connections, int first, int count) => new(Name, connections, HttpStatusCode.OK, n => new HttpRequestMessage(HttpMethod.Post, "/user/token")
    {
        Content = new FormUrlEncodedContent(
        [
            new("grant_type", MfaOtp),
            new("mfa_token", _mfaTokens[first + n]),
            new("otp", _authenticators[first + n].ComputeTotp(DateTime.UtcNow)),
        ]),
    })
    {
        Count = first + count <= _mfaTokens.Length ? count : throw new ArgumentOutOfRangeException(nameof(count)),
    };

    private static HttpRequestMessage Bearer(HttpMethod method, string path, string token, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected, string what)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            }

            using var json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            return json.RootElement.Clone();
        }
    }
}
