using System.Net;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

/// <summary>
/// Invalid settings stop the service at start with one line per problem naming the setting. The service checks
/// them itself and exits 1 before serving (under WebApplicationFactory that only looks like a server that never
/// started), so these run the built service as an operator would.
/// </summary>
public sealed class StartupConfigurationTests(PostgresServer server)
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => (string?)s.Value);

    private static void ShouldExitWithConfigurationError(ProcessResult result, string expectedLine)
    {
        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ShouldContain(expectedLine, result.ToString());
        result.StandardOutput.ShouldNotContain("Now listening", Case.Sensitive, result.ToString());
    }

    [Fact]
    public async Task Production_without_SECRET_KEY_does_not_start_and_says_why()
    {
        var result = await ApiProcess.RunAsync(Settings(("DATABASE_URL", await server.CreateDatabaseAsync("nokey"))));

        ShouldExitWithConfigurationError(result,
            "Configuration error: SECRET_KEY is not set: set it to a random string of at least 32 bytes (e.g. `openssl rand -hex 32`).");
    }

    [Fact]
    public async Task SECRET_KEY_of_10_bytes_does_not_start_and_says_why()
    {
        var result = await ApiProcess.RunAsync(Settings(
            ("DATABASE_URL", await server.CreateDatabaseAsync("shortkey")), ("SECRET_KEY", "0123456789")));

        ShouldExitWithConfigurationError(result,
            "Configuration error: SECRET_KEY is 10 bytes; it must be at least 32 (e.g. `openssl rand -hex 32`).");
    }

    [Fact]
    public async Task An_old_variable_of_the_wrong_type_is_named_and_no_other_value_is_printed()
    {
        const string Secret = "a-secret-that-must-never-be-printed-0123456789";
        var result = await ApiProcess.RunAsync(Settings(
            ("DATABASE_URL", await server.CreateDatabaseAsync("badminutes")), ("SECRET_KEY", Secret), ("ACCESS_TOKEN_EXPIRE_MINUTES", "30m")));

        ShouldExitWithConfigurationError(result,
            "Configuration error: ACCESS_TOKEN_EXPIRE_MINUTES is not a valid value for Jwt:AccessTokenMinutes.");
        result.ToString().ShouldNotContain(Secret);
        result.ToString().ShouldNotContain("SECRET_KEY");
    }

    [Fact]
    public async Task A_setting_of_the_wrong_type_is_one_line_not_a_stack_trace()
    {
        var result = await ApiProcess.RunAsync(Settings(
            ("DATABASE_URL", await server.CreateDatabaseAsync("badbackend")), ("SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            ("Passwords__Backend", "fastest")));

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldContain("Configuration error: Failed to convert configuration value", Case.Sensitive, result.ToString());
        result.StandardError.ShouldContain("Passwords:Backend", Case.Sensitive, result.ToString());
        result.StandardError.ShouldNotContain("   at ", Case.Sensitive, result.ToString());
    }

    [Theory]
    [InlineData("mysql://svc:secret@db.example.com/users", "Configuration error: DATABASE_URL scheme 'mysql' is not supported; use postgresql://user:password@host:port/database.")]
    [InlineData("postgresql://", "Configuration error: DATABASE_URL is not a valid URL; expected postgresql://user:password@host:port/database.")]
    public async Task Unparseable_DATABASE_URL_does_not_start_and_names_it(string databaseUrl, string expectedLine)
    {
        var result = await ApiProcess.RunAsync(Settings(("DATABASE_URL", databaseUrl), ("SECRET_KEY", UserServicesApp.SecretKey)));

        ShouldExitWithConfigurationError(result, expectedLine);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var result = await ApiProcess.RunAsync(Settings(("DATABASE_URL", "mysql://x"), ("BCRYPT_WORK_FACTOR", "3")));

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldContain("SECRET_KEY", Case.Sensitive, result.ToString());
        result.StandardError.ShouldContain("DATABASE_URL", Case.Sensitive, result.ToString());
        result.StandardError.ShouldContain("BCRYPT_WORK_FACTOR", Case.Sensitive, result.ToString());
    }

    [Fact]
    public async Task Development_without_SECRET_KEY_starts_with_the_development_key()
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync("devkey"));
        settings.Remove("SECRET_KEY");
        await using var app = UserServicesApp.Start(settings, environment: "Development");

        (await app.RegisterAsync("devuser", "devuser@example.com", "violet tractor umbrella sings")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await app.TokenAsync("devuser", "violet tractor umbrella sings");
        (await app.BearerClient(token).GetAsync("/user/user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
