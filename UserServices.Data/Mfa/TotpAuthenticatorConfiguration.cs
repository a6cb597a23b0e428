using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Mfa;

internal sealed class TotpAuthenticatorConfiguration : IEntityTypeConfiguration<TotpAuthenticator>
{
    public void Configure(EntityTypeBuilder<TotpAuthenticator> authenticator)
    {
        authenticator.ToTable("TotpAuthenticators");
        authenticator.HasKey(a => a.UserId);
        authenticator.Property(a => a.UserId).ValueGeneratedNever();
        authenticator.Property(a => a.EncryptedSecret).HasMaxLength(TotpAuthenticator.MaxEncryptedSecretLength);
        // Closing an account takes its authenticator with it.
        authenticator.HasOne(a => a.User).WithOne().HasForeignKey<TotpAuthenticator>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
