using System.Net;
using System.Net.Http.Json;
using UserServices.Tests.Infrastructure;
using UserServices.Tests.Tokens;

namespace UserServices.Tests.Mfa;

/// <summary>
/// Two replicas as the README runs them (the built service, two processes, one PostgreSQL database): an mfa_token
/// minted by one completes on the other, and one code sent to both at once, several times each, signs in exactly once.
/// </summary>
public sealed class MfaProcessReplicaTests(PostgresServer server)
{
    private const string Password = "correct horse battery";
    private const string OtpGrant = "http://auth0.com/oauth/grant-type/mfa-otp";

    [Fact]
    public async Task One_code_races_across_two_replica_processes_and_wins_once()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync(nameof(MfaProcessReplicaTests)),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
            ["Lockout__MaxFailedAttempts"] = "50",
            ["RateLimits__TokenPerClientPerMinute"] = "1000",
            ["RateLimits__TokenPerUserPerMinute"] = "1000",
        };
        await using var first = await ServingApiProcess.StartAsync(environment);
        await using var second = await ServingApiProcess.StartAsync(environment);
        using var a = new HttpClient { BaseAddress = first.Address };
        using var b = new HttpClient { BaseAddress = second.Address };

        (await a.PostAsJsonAsync("/user/register", new { username = "racer", email = "racer@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = (await (await a.PostAsync("/user/token", OAuthRequests.Form(("username", "racer"), ("password", Password)))).ReadJsonAsync()).Str("access_token");
        using var bearer = new HttpClient { BaseAddress = first.Address };
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var secret = (await TwoFactor.EnrolAsync(bearer, Password, DateTimeOffset.UtcNow)).Secret;

        // mfa_tokens from replica A; the code of the next step, sent to both replicas at once, four times each.
        var mfaTokens = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            mfaTokens.Add((await (await a.PostAsync("/user/token", OAuthRequests.Form(("username", "racer"), ("password", Password)))).ReadJsonAsync()).Str("mfa_token"));
        }

        var code = TestTotp.CodeAt(secret, DateTimeOffset.UtcNow, 1);
        var answers = await Task.WhenAll(mfaTokens.Select((mfaToken, i) =>
            (i % 2 == 0 ? a : b).PostAsync("/user/token", OAuthRequests.Form(("grant_type", OtpGrant), ("mfa_token", mfaToken), ("otp", code)))));

        answers.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(r => r.StatusCode == HttpStatusCode.BadRequest).ShouldBe(7);
        var refusedOnB = answers.Where((r, i) => i % 2 == 1 && r.StatusCode == HttpStatusCode.BadRequest).Take(1);
        foreach (var refused in refusedOnB)
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
        }
    }
}
