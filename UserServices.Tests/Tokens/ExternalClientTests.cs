using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Tokens;

/// <summary>
/// Standard libraries written by others, outside .NET, against the service on a real loopback port:
/// <c>openid-client</c> and <c>jose</c> from npm (versions pinned in ExternalClients/package-lock.json) discover it from
/// its URL, sign in, refresh, verify the access token by RFC 9068 through jwks_uri, revoke and introspect; and, as a
/// backend service, get tokens for itself (client credentials) with a secret and with a signed assertion.
/// </summary>
public sealed class ExternalClientTests(PostgresServer server) : IAsyncLifetime
{
    private const string ClientSecret = "external-backend-secret-0123456789abcdef";
    private const string Password = OAuthRequests.Password;
    private const string OrdersApi = "https://orders.example.com";
    private readonly string _keys = Directory.CreateTempSubdirectory("userservices-external-").FullName;
    private UserServicesApp? _app;
    private string _url = "";

    public async ValueTask InitializeAsync()
    {
        var keyPath = Path.Combine(_keys, "rs256.pem");
        using (var rsa = RSA.Create(2048))
        {
            await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        }

        // The key a private_key_jwt client holds (the script signs with it) and the public half the service is given.
        using (var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(ClientKeyPath, clientKey.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(Path.Combine(_keys, "client-es256.pub.pem"), clientKey.ExportSubjectPublicKeyInfoPem());
        }

        var databaseUrl = await server.CreateDatabaseAsync(nameof(ExternalClientTests));
        // The issuer must be the service's own URL, so the port is chosen before start; another process taking it
        // in between is retried.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            var settings = UserServicesApp.Defaults(databaseUrl);
            settings["JWT_ALGORITHM"] = "RS256";
            settings["JWT_SIGNING_KEY_PATH"] = keyPath;
            settings["Jwt:PublicBaseUrl"] = $"http://127.0.0.1:{port}";
            settings["Clients:0:ClientId"] = "backend";
            settings["Clients:0:ClientSecret"] = ClientSecret;
            settings["Clients:0:AllowedScopes:0"] = "orders:read";
            settings["Clients:1:ClientId"] = "spa";
            settings["Clients:2:ClientId"] = "machine";
            settings["Clients:2:ClientSecret"] = ClientSecret;
            settings["Clients:2:AllowedGrants:0"] = "client_credentials";
            settings["Clients:2:AllowedScopes:0"] = "orders:read";
            settings["Clients:2:Audiences:0"] = OrdersApi;
            settings["Clients:3:ClientId"] = "signed-machine";
            settings["Clients:3:PublicKeyPath"] = Path.Combine(_keys, "client-es256.pub.pem");
            settings["Clients:3:AllowedGrants:0"] = "client_credentials";
            try
            {
                (_app, _url) = (UserServicesApp.Start(settings, onKestrel: true, port: port), $"http://127.0.0.1:{port}");
                break;
            }
            catch (IOException) when (attempt < 3)
            {
                // Another process took the port between FreePorts.Next and the bind; try another.
            }
        }

        using var client = new HttpClient { BaseAddress = new Uri(_url) };
        (await client.PostAsJsonAsync("/user/register", new { username = "node-user", email = "node@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task Openid_client_and_jose_discover_sign_in_refresh_verify_revoke_and_introspect()
    {
        var result = await RunScriptAsync("check-service.mjs", _url, "backend", ClientSecret, "spa", "node-user", Password, "user-services");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Select(line => string.Join(' ', line.Split(' ').Take(2))).ShouldBe(
            ["ok discovery:", "ok password", "ok refresh", "ok jwt:", "ok introspection:", "ok revocation:", "ok public", "ok client_secret_post", "all steps"],
            result.ToString());
        lines[0].ShouldBe($"ok discovery: issuer {_url} (RFC 8414 and openid-configuration agree)");
    }

    [Fact]
    public async Task The_script_fails_loudly_when_the_service_does_not_behave()
    {
        // The same run with a secret the service does not know: discovery passes, the first grant must not.
        var result = await RunScriptAsync("check-service.mjs", _url, "backend", "not-the-secret-not-the-secret-0123456789", "spa", "node-user", Password, "user-services");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardOutput.ShouldStartWith("ok discovery:");
        result.StandardOutput.ShouldNotContain("all steps passed");
        result.StandardError.ShouldStartWith("FAIL ");
    }

    [Fact]
    public async Task Openid_client_gets_machine_tokens_with_a_secret_and_with_a_private_key_jwt_and_jose_verifies_them()
    {
        var result = await RunScriptAsync("check-machine.mjs", _url, "machine", ClientSecret, "signed-machine", ClientKeyPath, OrdersApi);

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Select(line => string.Join(' ', line.Split(' ').Take(2))).ShouldBe(
            ["ok discovery:", "ok client_secret_basic:", "ok private_key_jwt:", "ok introspection", "all machine"], result.ToString());
        lines[1].ShouldBe($"ok client_secret_basic: token for machine, aud {OrdersApi}, verified by RFC 9068 rules");
    }

    [Fact]
    public async Task The_machine_script_fails_loudly_with_a_key_the_service_does_not_know()
    {
        var stranger = Path.Combine(_keys, "stranger.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(stranger, key.ExportPkcs8PrivateKeyPem());
        }

        var result = await RunScriptAsync("check-machine.mjs", _url, "machine", ClientSecret, "signed-machine", stranger, OrdersApi);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardOutput.ShouldContain("ok client_secret_basic:");
        result.StandardOutput.ShouldNotContain("ok private_key_jwt");
        result.StandardError.ShouldStartWith("FAIL ");
    }

    private string ClientKeyPath => Path.Combine(_keys, "client-es256.pem");

    private static async Task<ProcessResult> RunScriptAsync(string script, params string[] arguments)
    {
        var folder = ExternalClientsFolder();
        if (!File.Exists(Path.Combine(folder, "node_modules", "openid-client", "package.json")) ||
            !File.Exists(Path.Combine(folder, "node_modules", "jose", "package.json")))
        {
            Assert.Fail($"The npm clients are not installed: run `npm ci --prefix {folder}` (.ci/run does).");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("node was not found on PATH: install Node.js 20 or later (e.g. `apt-get install nodejs npm`).");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>The source folder (node_modules is installed there, not copied to the build output).</summary>
    private static string ExternalClientsFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "UserServices.Tests", "ExternalClients");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"UserServices.Tests/ExternalClients not found above {AppContext.BaseDirectory}.");
    }
}
