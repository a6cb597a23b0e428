using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Mfa;

internal sealed class MfaChallengeConfiguration : IEntityTypeConfiguration<MfaChallenge>
{
    public void Configure(EntityTypeBuilder<MfaChallenge> challenge)
    {
        challenge.ToTable("MfaChallenges");
        challenge.Property(c => c.TokenHash).HasMaxLength(64);
        challenge.Property(c => c.ClientId).HasMaxLength(MfaChallenge.MaxClientIdLength);
        challenge.HasIndex(c => c.TokenHash).IsUnique();
        challenge.HasIndex(c => c.ExpiresAt);
        challenge.HasOne(c => c.User).WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
