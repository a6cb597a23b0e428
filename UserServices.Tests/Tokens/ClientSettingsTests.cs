using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Tokens;

/// <summary>A wrong <c>Clients</c> entry stops the service at start, one line per problem naming the setting.</summary>
public sealed class ClientSettingsTests(PostgresServer server)
{
    [Fact]
    public async Task Bad_client_entries_stop_the_service_and_name_their_settings()
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync("badclients"),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["Clients__0__ClientId"] = "backend",
            ["Clients__0__ClientSecret"] = "short",
            ["Clients__0__AllowedGrants__0"] = "implicit",
            ["Clients__1__ClientId"] = "backend",
            ["Clients__1__AllowedScopes__0"] = "has\"quote",
            ["Clients__2__ClientId"] = "greedy",
            ["Clients__2__AllowedScopes__0"] = new string('a', 600),
            ["Clients__2__AllowedScopes__1"] = new string('b', 600),
            ["Clients__3__ClientId"] = "public-machine",
            ["Clients__3__AllowedGrants__0"] = "client_credentials",
            ["Clients__3__AccessTokenMinutes"] = "0",
            ["Clients__4__ClientId"] = "key-and-secret",
            ["Clients__4__ClientSecret"] = "a-secret-that-is-long-enough-0123456789",
            ["Clients__4__PublicKeyPath"] = "/nonexistent/key.pem",
            ["Clients__5__ClientId"] = "missing-key",
            ["Clients__5__JwksPath"] = "/nonexistent/jwks.json",
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("Configuration error: Clients:0:ClientSecret must be at least 32 bytes (e.g. `openssl rand -hex 32`).", result.ToString());
        lines.ShouldContain("Configuration error: Clients:0:AllowedGrants: 'implicit' is not a grant of this service; use password, refresh_token, client_credentials, the two MFA grants or urn:userservices:params:oauth:grant-type:passkey.", result.ToString());
        lines.ShouldContain("Configuration error: Clients:1:ClientId 'backend' is registered twice.", result.ToString());
        lines.ShouldContain(line => line.StartsWith("Configuration error: Clients:1:AllowedScopes: 'has\"quote' is not a valid scope", StringComparison.Ordinal), result.ToString());
        lines.ShouldContain("Configuration error: Clients:2:AllowedScopes together must be at most 1024 characters, separated by spaces.", result.ToString());
        lines.ShouldContain("Configuration error: Clients:3:AllowedGrants: client_credentials needs a confidential client; set ClientSecret, JwksPath or PublicKeyPath.", result.ToString());
        lines.ShouldContain("Configuration error: Clients:3:AccessTokenMinutes must be between 1 and 1440.", result.ToString());
        lines.ShouldContain("Configuration error: Clients:4: a client authenticates with a key (JwksPath/PublicKeyPath) or a ClientSecret, not both.", result.ToString());
        lines.ShouldContain(line => line.StartsWith("Configuration error: Clients:5: cannot read a public key from '/nonexistent/jwks.json': ", StringComparison.Ordinal), result.ToString());
        result.StandardError.ShouldNotContain("short\"");
        result.StandardOutput.ShouldNotContain("Now listening");
    }
}
