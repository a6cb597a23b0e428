using UserServices.Api.Admin;
using UserServices.Api.Audit;
using UserServices.Api.Clients;
using UserServices.Api.Commands;
using UserServices.Api.Database;
using UserServices.Api.Docs;
using UserServices.Api.Health;
using UserServices.Api.Hosting;
using UserServices.Api.Mail;
using UserServices.Api.Mfa;
using UserServices.Api.Monitoring;
using UserServices.Api.Passkeys;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Recovery;
using UserServices.Api.Sessions;
using UserServices.Api.Tokens;
using UserServices.Api.Users;

if (ProbeCommand.IsRequested(args))
{
    return await ProbeCommand.RunAsync(args, Console.Error);   // the image's HEALTHCHECK: one GET, no host started
}

// Help and bad arguments end here, before anything starts.
var command = ServiceCommandLine.Parse(args, Console.Out, Console.Error);
if (command.Exits)
{
    return command.ExitCode;
}

var dotEnv = DotEnvFile.Load();             // .env fills in what the environment leaves unset

var builder = WebApplication.CreateBuilder(ContentRoot.Options(command.HostArguments));
// One entry per folder, each registering only its own types (docs/architecture.md).
builder.AddHosting();                         // listen address, ProblemDetails errors, trusted proxies, security headers, controllers
builder.AddMonitoring();                      // metrics, traces (OpenTelemetry), JSON logs, the management listener
builder.AddDatabase();                        // PostgreSQL or embedded SQLite; migrations at start
builder.AddAudit();                           // who did what to which account, kept for Audit:RetentionDays
builder.AddUsers();                           // Identity over EF Core, user validators, lockout
builder.AddPasswords();                       // bcrypt for Identity on dedicated threads, the password policy
builder.AddClients();                         // registered OAuth2 clients and how a request authenticates as one
builder.AddTokens();                          // the token endpoint, JWT minting and JwtBearer validation
builder.AddSessions();                        // refresh tokens: rotation, reuse detection, revocation, cleanup
builder.AddMfa();                             // two-factor sign-in: TOTP enrolment, recovery codes, the second step
builder.AddPasskeys();                        // passkeys through JSON endpoints: ceremonies kept server-side, the grant
builder.AddRateLimits();                      // per-client and per-username limits
builder.AddAdmin();                           // the seeded admin account; /admin: find, lock, fix and remove accounts, read the audit log
builder.AddMail();                            // the mail outbox and its sender (SMTP, or .eml files in Development)
builder.AddRecovery();                        // password reset, email confirmation and change of address
builder.AddHealth();                          // /health/live and /health/ready (the database round trip)
builder.AddDocs();                            // OpenAPI document and the Scalar page at /docs

var app = builder.Build();
if (!app.ConfigurationIsValid())
{
    return 1;
}

// First, so that everything after it (HTTPS redirection, rate limits, logs) sees the real client and scheme.
app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMonitoring();                          // /metrics and health on MANAGEMENT_URLS only, ahead of HTTPS and limits
app.UseTransportSecurity();
app.UseRateLimits();
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();
app.MapHealth();
app.MapDocs();

return await app.RunCommandAsync(command, dotEnv);   // serve, or `migrate` / `import-legacy` / `admin` (see --help)

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
