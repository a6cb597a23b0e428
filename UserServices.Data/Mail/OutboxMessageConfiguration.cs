using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Mail;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("MailOutbox");
        message.Property(m => m.Kind).HasMaxLength(64);
        message.Property(m => m.Recipient).HasMaxLength(256);
        message.Property(m => m.Outcome).HasMaxLength(16);
        message.Property(m => m.LastError).HasMaxLength(512);
        message.Property(m => m.RequesterIp).HasMaxLength(Audit.AuditEvent.MaxIpLength);
        message.Property(m => m.RequesterUserAgent).HasMaxLength(Audit.AuditEvent.MaxUserAgentLength);
        // The sender's question: what is due and not finished?
        message.HasIndex(m => new { m.DoneAt, m.AvailableAt });
        // No foreign key to the user: a mail about an account may outlive it (the sender then skips it).
    }
}
