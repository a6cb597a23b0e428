using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using UserServices.Data.Audit;
using UserServices.Data.Clients;
using UserServices.Data.Mail;
using UserServices.Data.Mfa;
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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(UserServicesDbContext).Assembly);
    }
}
