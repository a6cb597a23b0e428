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
            ["Clients__0__AllowedGrants__0"] = "client_credentials",
            ["Clients__1__ClientId"] = "backend",
            ["Clients__1__AllowedScopes__0"] = "has\"quote",
            ["Clients__2__ClientId"] = "greedy",
            ["Clients__2__AllowedScopes__0"] = new string('a', 600),
            ["Clients__2__AllowedScopes__1"] = new string('b', 600),
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("Configuration error: Clients:0:ClientSecret must be at least 32 bytes (e.g. `openssl rand -hex 32`).", result.ToString());
        lines.ShouldContain("Configuration error: Clients:0:AllowedGrants: 'client_credentials' is not a grant of this service; use password or refresh_token.", result.ToString());
        lines.ShouldContain("Configuration error: Clients:1:ClientId 'backend' is registered twice.", result.ToString());
        lines.ShouldContain(line => line.StartsWith("Configuration error: Clients:1:AllowedScopes: 'has\"quote' is not a valid scope", StringComparison.Ordinal), result.ToString());
        lines.ShouldContain("Configuration error: Clients:2:AllowedScopes together must be at most 1024 characters, separated by spaces.", result.ToString());
        result.StandardError.ShouldNotContain("short\"");
        result.StandardOutput.ShouldNotContain("Now listening");
    }
}
