using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("AuditEvents");
        audit.Property(e => e.Action).HasMaxLength(AuditEvent.MaxActionLength);
        audit.Property(e => e.UserName).HasMaxLength(AuditEvent.MaxUserNameLength);
        audit.Property(e => e.Actor).HasMaxLength(AuditEvent.MaxActorLength);
        audit.Property(e => e.Ip).HasMaxLength(AuditEvent.MaxIpLength);
        audit.Property(e => e.UserAgent).HasMaxLength(AuditEvent.MaxUserAgentLength);
        audit.Property(e => e.Detail).HasMaxLength(AuditEvent.MaxDetailLength);
        // The listing walks newest first by id (the primary key); these serve its filters and the retention delete.
        audit.HasIndex(e => e.At);
        audit.HasIndex(e => new { e.UserId, e.Id });
        audit.HasIndex(e => new { e.Action, e.Id });
    }
}
