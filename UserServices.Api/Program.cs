using UserServices.Api.Admin;
using UserServices.Api.Auth;
using UserServices.Api.Configuration;
using UserServices.Api.Database;
using UserServices.Api.Docs;
using UserServices.Api.Errors;
using UserServices.Api.Health;
using UserServices.Api.Security;
using UserServices.Api.Users;

StartupConfiguration.LoadDotEnvFile();        // .env fills in what the environment leaves unset

var builder = WebApplication.CreateBuilder(args);
builder.AddErrorResponses();                  // every error is a ProblemDetails body
builder.AddUserServicesDatabase();            // PostgreSQL or embedded SQLite; migrations and admin seed at start
builder.AddIdentityStores();                  // Identity over EF Core, bcrypt hasher, password policy, lockout
builder.AddTokenIssuing();                    // JWT minting and JwtBearer validation
builder.AddAuthRateLimiting();                // per-client and per-username limits, bounded bcrypt concurrency
builder.AddTransportSecurity();               // security headers, optional HTTPS/HSTS, CORS only when configured
builder.AddHealthChecks();
builder.AddApiDocs();                         // OpenAPI document and the Scalar page at /docs
builder.Services.AddControllers(options => options.RemoveJQueryValueProviders());

var app = builder.Build();
if (!app.ConfigurationIsValid())
{
    return 1;
}

// First, so that everything after it (HTTPS redirection, rate limits, logs) sees the real client and scheme.
app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseTransportSecurity();
app.UseAuthRateLimiting();
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();
app.MapHealthEndpoints();
app.MapApiDocs();

return args.FirstOrDefault() switch
{
    "migrate" => await app.MigrateDatabaseAsync(),
    "import-legacy" => await app.ImportLegacyUsersAsync(args),   // issue 7: the Python service's users, see README
    _ => await app.RunServiceAsync(),
};

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
