using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using UserServices.Data.Audit;
using UserServices.Data.Clients;
using UserServices.Data.Mail;
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

    public DbSet<PasskeyCeremony> PasskeyCeremonies => Set<PasskeyCeremony>();

    /// <summary>Version 3 adds Identity's passkey table (see <see cref="PasskeyConfiguration"/>); fixed here rather
    /// than read from the application's options so that <c>dotnet ef</c> builds the same model as the service.</summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version3;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(UserServicesDbContext).Assembly);
    }
}
