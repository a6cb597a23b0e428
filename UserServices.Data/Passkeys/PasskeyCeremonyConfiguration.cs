using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Passkeys;

internal sealed class PasskeyCeremonyConfiguration : IEntityTypeConfiguration<PasskeyCeremony>
{
    public void Configure(EntityTypeBuilder<PasskeyCeremony> ceremony)
    {
        ceremony.ToTable("PasskeyCeremonies");
        ceremony.HasKey(c => c.IdHash);
        ceremony.Property(c => c.IdHash).HasMaxLength(64);
        ceremony.Property(c => c.Purpose).HasMaxLength(PasskeyCeremony.MaxPurposeLength);
        ceremony.HasIndex(c => c.ExpiresAt);
    }
}
