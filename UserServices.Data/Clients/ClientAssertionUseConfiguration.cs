using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Clients;

internal sealed class ClientAssertionUseConfiguration : IEntityTypeConfiguration<ClientAssertionUse>
{
    /// <summary>The longest <c>jti</c> accepted; the Api refuses a longer one before it gets here.</summary>
    public const int MaxJtiLength = 256;

    public void Configure(EntityTypeBuilder<ClientAssertionUse> use)
    {
        use.ToTable("ClientAssertionUses");
        use.HasKey(u => new { u.ClientId, u.Jti });
        use.Property(u => u.ClientId).HasMaxLength(256);
        use.Property(u => u.Jti).HasMaxLength(MaxJtiLength);
        use.HasIndex(u => u.ExpiresAt);
    }
}
