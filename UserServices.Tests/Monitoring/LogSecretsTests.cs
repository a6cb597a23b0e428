using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using UserServices.Tests.Infrastructure;
using UserServices.Tests.Tokens;

namespace UserServices.Tests.Monitoring;

/// <summary>
/// The built service at Trace level (so every level), every category, every endpoint exercised with good and bad input: nothing it
/// printed contains a password, a token, a bcrypt hash, a client secret or the signing key.
/// </summary>
public sealed class LogSecretsTests(PostgresServer server)
{
    private const string SecretKey = "log-secrets-signing-key-5f1c0d7e9a2b4c6d8e0f1a3b5c7d9e1f";
    private const string ClientSecret = "log-secrets-client-secret-0a9b8c7d6e5f4a3b2c1d";
    private const string AdminPassword = "admin passphrase kept out of logs";
    private const string Password = "first passphrase kept out of logs";
    private const string NewPassword = "second passphrase kept out of logs";
    private const string WrongPassword = "wrong passphrase kept out of logs";

    [Fact]
    public async Task No_log_line_at_any_level_contains_a_secret()
    {
        await using var service = await ServingApiProcess.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync(nameof(LogSecretsTests)),
            ["SECRET_KEY"] = SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
            ["ADMIN_USERNAME"] = "root",
            ["ADMIN_EMAIL"] = "root@example.com",
            ["ADMIN_PASSWORD"] = AdminPassword,
            ["Clients__0__ClientId"] = "web",
            ["Clients__1__ClientId"] = "resource-server",
            ["Clients__1__ClientSecret"] = ClientSecret,
            ["Passkeys__ServerDomain"] = "localhost",
            ["LOG_FORMAT"] = "json",
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Trace",
        });
        using var api = new HttpClient { BaseAddress = service.Address };
        var secrets = new List<string> { SecretKey, ClientSecret, "$2" };
        // Each password also as a form body would carry it.
        secrets.AddRange(new[] { AdminPassword, Password, NewPassword, WrongPassword }.SelectMany(p => new[] { p, WebUtility.UrlEncode(p) }));

        (await api.PostAsJsonAsync("/user/register", new { username = "carol", email = "carol@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PostAsJsonAsync("/user/register", new { username = "carol", email = "carol@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("username", "carol"), ("password", WrongPassword))))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var first = await SignInAsync(api, "carol", Password);
        secrets.AddRange(first);
        var admin = await SignInAsync(api, "root", AdminPassword);
        secrets.AddRange(admin);

        var refreshed = await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("grant_type", "refresh_token"), ("refresh_token", first[1])));
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await refreshed.ReadJsonAsync();
        var second = new[] { body.Str("access_token"), body.Str("refresh_token") };
        secrets.AddRange(second);
        (await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("grant_type", "refresh_token"), ("refresh_token", first[1] + "x"))))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using (var bearer = Bearer(api, second[0]))
        {
            (await api.SendAsync(bearer)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A tampered token is refused, and its refusal logged, without the token.
        using (var forged = Bearer(api, second[0][..^4] + "AAAA"))
        {
            (await api.SendAsync(forged)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var introspect = new HttpRequestMessage(HttpMethod.Post, "/user/introspect") { Content = OAuthRequests.Form(("token", second[0])) })
        {
            introspect.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"resource-server:{ClientSecret}")));
            (await api.SendAsync(introspect)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var wrongSecret = new HttpRequestMessage(HttpMethod.Post, "/user/introspect") { Content = OAuthRequests.Form(("token", second[1])) })
        {
            wrongSecret.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"resource-server:{ClientSecret}-wrong")));
            (await api.SendAsync(wrongSecret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var change = Bearer(api, second[0], HttpMethod.Put, "/user/password"))
        {
            change.Content = JsonContent.Create(new { current_password = WrongPassword, new_password = NewPassword });
            (await api.SendAsync(change)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var change = Bearer(api, second[0], HttpMethod.Put, "/user/password"))
        {
            change.Content = JsonContent.Create(new { current_password = Password, new_password = NewPassword });
            (await api.SendAsync(change)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        // Passkey ceremonies: their ids, in a registration's body and at the token endpoint, are not logged either.
        var fresh = await SignInAsync(api, "carol", NewPassword);
        secrets.AddRange(fresh);
        using (var options = Bearer(api, fresh[0], HttpMethod.Post, "/user/passkeys/options"))
        {
            var begun = await (await api.SendAsync(options)).ReadJsonAsync();
            secrets.Add(begun.Str("ceremony_id"));
            using var complete = Bearer(api, fresh[0], HttpMethod.Post, "/user/passkeys");
            complete.Content = JsonContent.Create(new { ceremony_id = begun.Str("ceremony_id"), credential = new { id = "x", type = "public-key" }, name = "Laptop" });
            (await api.SendAsync(complete)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var login = await (await api.PostAsync("/user/passkeys/login/options", null)).ReadJsonAsync();
        secrets.Add(login.Str("ceremony_id"));
        (await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("grant_type", "urn:userservices:params:oauth:grant-type:passkey"),
            ("ceremony_id", login.Str("ceremony_id")), ("credential", "{\"id\":\"x\"}")))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var third = await SignInAsync(api, "carol", NewPassword);
        secrets.AddRange(third);
        (await api.PostAsync("/user/revoke", OAuthRequests.Form(("client_id", "web"), ("token", third[1])))).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var logout = Bearer(api, admin[0], HttpMethod.Post, "/user/logout"))
        {
            (await api.SendAsync(logout)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        secrets.AddRange(await TwoFactorSignInAsync(api));

        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/.well-known/jwks.json", "/docs/", "/openapi/v1.json", "/health/live", "/health/ready" })
        {
            (await api.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }

        var output = await service.StopAsync();

        output.ExitCode.ShouldBe(0, output.ToString());
        var logged = output.StandardOutput + "\n" + output.StandardError;
        // The lowest levels really were on: EF Core's command logs and the bearer refusal are there.
        logged.ShouldContain("Executed DbCommand");
        logged.ShouldContain("\"Category\":\"Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler\"");
        // An access token's header is the same for every token; its claims and signature are what must not leak.
        foreach (var secret in secrets.SelectMany(s => s.Count(c => c == '.') == 2 ? s.Split('.')[1..] : [s]))
        {
            logged.ShouldNotContain(secret, Case.Sensitive, $"'{secret}' was logged");
        }
    }

    /// <summary>
    /// Enrols an authenticator, confirms it, signs in with a code, with a recovery code, and with wrong ones; returns
    /// what must never be logged: the secret, the recovery codes, the mfa_tokens, the accepted codes, the tokens.
    /// </summary>
    private static async Task<List<string>> TwoFactorSignInAsync(HttpClient api)
    {
        var secrets = new List<string>();
        (await api.PostAsJsonAsync("/user/register", new { username = "dave", email = "dave@example.com", password = Password })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var signedIn = await SignInAsync(api, "dave", Password);
        secrets.AddRange(signedIn);
        using var begin = Bearer(api, signedIn[0], HttpMethod.Post, "/user/mfa/totp");
        begin.Content = JsonContent.Create(new { password = Password });
        var enrolment = await (await api.SendAsync(begin)).ReadJsonAsync();
        var base32 = enrolment.Str("secret");
        var secret = TestTotp.Base32Decode(base32);
        secrets.Add(base32);
        var confirmingCode = TestTotp.CodeAt(secret, DateTimeOffset.UtcNow);
        using var confirm = Bearer(api, signedIn[0], HttpMethod.Post, "/user/mfa/totp/confirm");
        confirm.Content = JsonContent.Create(new { code = confirmingCode });
        var confirmed = await api.SendAsync(confirm);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var recoveryCodes = (await confirmed.ReadJsonAsync()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        secrets.AddRange(recoveryCodes.SelectMany(c => new[] { c, c.Replace("-", "", StringComparison.Ordinal) }));

        var mfaToken = await MfaTokenAsync(api);
        (await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("grant_type", OtpGrant), ("mfa_token", mfaToken), ("otp", "000000"))))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var code = TestTotp.CodeAt(secret, DateTimeOffset.UtcNow, 1);
        var withCode = await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("grant_type", OtpGrant), ("mfa_token", mfaToken), ("otp", code)));
        withCode.StatusCode.ShouldBe(HttpStatusCode.OK, await withCode.Content.ReadAsStringAsync());
        secrets.Add((await withCode.ReadJsonAsync()).Str("access_token"));

        var second = await MfaTokenAsync(api);
        var withRecovery = await api.PostAsync("/user/token",
            OAuthRequests.Form(("client_id", "web"), ("grant_type", "http://auth0.com/oauth/grant-type/mfa-recovery-code"), ("mfa_token", second), ("recovery_code", recoveryCodes[0])));
        withRecovery.StatusCode.ShouldBe(HttpStatusCode.OK);
        secrets.Add((await withRecovery.ReadJsonAsync()).Str("refresh_token"));
        (await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("username", "dave"), ("password", Password), ("otp", "999999"))))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        secrets.AddRange([mfaToken, second]);
        // Six digits could be any number in a log line; as a form value or a JSON string they would be the code.
        secrets.AddRange(new[] { confirmingCode, code }.SelectMany(c => new[] { $"otp={c}", $"\"{c}\"", $"code = {c}" }));
        return secrets;
    }

    private const string OtpGrant = "http://auth0.com/oauth/grant-type/mfa-otp";

    private static async Task<string> MfaTokenAsync(HttpClient api)
    {
        var response = await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("username", "dave"), ("password", Password)));
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        return (await response.ReadJsonAsync()).Str("mfa_token");
    }

    private static async Task<string[]> SignInAsync(HttpClient api, string username, string password)
    {
        var response = await api.PostAsync("/user/token", OAuthRequests.Form(("client_id", "web"), ("username", username), ("password", password)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        return [body.Str("access_token"), body.Str("refresh_token")];
    }

    private static HttpRequestMessage Bearer(HttpClient api, string token, HttpMethod? method = null, string path = "/user/user")
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(api.BaseAddress!, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

}
