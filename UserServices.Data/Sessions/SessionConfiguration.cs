using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserServices.Data.Tokens;

namespace UserServices.Data.Sessions;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> session)
    {
        session.ToTable("Sessions");
        // The id is made by the service (it is in tokens before the row is saved), never by the database.
        session.Property(s => s.Id).ValueGeneratedNever();
        session.Property(s => s.AuthMethods).HasMaxLength(Session.MaxAuthMethodsLength);
        session.Property(s => s.ClientId).HasMaxLength(Session.MaxClientIdLength);
        session.Property(s => s.CreatedIp).HasMaxLength(Session.MaxIpLength);
        session.Property(s => s.CreatedUserAgent).HasMaxLength(Session.MaxUserAgentLength);
        session.Property(s => s.LastIp).HasMaxLength(Session.MaxIpLength);
        session.Property(s => s.LastUserAgent).HasMaxLength(Session.MaxUserAgentLength);
        session.Property(s => s.EndCause).HasMaxLength(Session.MaxEndCauseLength);
        session.HasIndex(s => s.UserId);
        // A deleted account's sessions go with it, and a session's refresh tokens with the session.
        session.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.HasMany<RefreshToken>().WithOne(t => t.Session).HasForeignKey(t => t.FamilyId).OnDelete(DeleteBehavior.Cascade);
    }
}
