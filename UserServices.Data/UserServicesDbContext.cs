using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using UserServices.Data.Audit;
using UserServices.Data.Clients;
using UserServices.Data.Mail;
using UserServices.Data.Mfa;
using UserServices.Data.Passkeys;
using UserServices.Data.Sessions;
using UserServices.Data.Tokens;
using UserServices.Data.Users;

namespace UserServices.Data;

/// <summary>
/// Identity's schema without the <c>AspNet</c> prefix. Each database provider has its own subclass so that
/// each keeps its own migration set (see <see cref="PostgresDbContext"/> and <see cref="SqliteDbContext"/>).
/// </summary>
public abstract class UserServicesDbContext(DbContextOptions options)
    : IdentityDbContext<User, Role, int, IdentityUserClaim<int>, IdentityUserRole<int>, IdentityUserLogin<int>,
        IdentityRoleClaim<int>, IdentityUserToken<int>>(options)
{
    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> MailOutbox => Set<OutboxMessage>();

    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();

    public DbSet<ClientAssertionUse> ClientAssertionUses => Set<ClientAssertionUse>();

    public DbSet<TotpAuthenticator> TotpAuthenticators => Set<TotpAuthenticator>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<MfaChallenge> MfaChallenges => Set<MfaChallenge>();

    public DbSet<PasskeyCeremony> PasskeyCeremonies => Set<PasskeyCeremony>();

    /// <summary>
    /// Identity builds its tables for the schema version in the application's <see cref="IdentityOptions"/>
    /// (version 3: its passkey table, see <see cref="PasskeyConfiguration"/>). A context made without the application
    /// — by a tool, a migration test, a command — gets those options from here, so every context has the same model.
    /// </summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (optionsBuilder.Options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider is null)
        {
            optionsBuilder.UseApplicationServiceProvider(IdentitySchema.Services);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(UserServicesDbContext).Assembly);
    }
}
