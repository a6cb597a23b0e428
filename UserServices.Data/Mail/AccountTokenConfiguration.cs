using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Mail;

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> token)
    {
        token.ToTable("AccountTokens");
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.Purpose).HasMaxLength(32);
        token.Property(t => t.Email).HasMaxLength(256);
        token.Property(t => t.StampDigest).HasMaxLength(64);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => new { t.UserId, t.Purpose });
        // Closing an account takes its tokens with it.
        token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
