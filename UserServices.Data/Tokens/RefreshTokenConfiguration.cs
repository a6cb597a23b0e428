using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Tokens;

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> token)
    {
        token.ToTable("RefreshTokens");
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.StampDigest).HasMaxLength(64);
        token.Property(t => t.ClientId).HasMaxLength(256);
        token.Property(t => t.Scope).HasMaxLength(1024);
        token.Property(t => t.SuccessorSealed).HasMaxLength(128);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => t.FamilyId);
        token.HasIndex(t => t.UserId);
        token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        token.HasOne<RefreshToken>().WithMany().HasForeignKey(t => t.ReplacedById).OnDelete(DeleteBehavior.NoAction);
    }
}
