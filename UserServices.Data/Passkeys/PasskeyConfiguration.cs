using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Passkeys;

/// <summary>
/// Identity's passkey table (schema version 3) named in our style, plus the one thing Identity does not keep: when a
/// passkey last signed someone in. It is a shadow property, so Identity's own type and store stay as they are.
/// </summary>
internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<IdentityUserPasskey<int>>
{
    public void Configure(EntityTypeBuilder<IdentityUserPasskey<int>> passkey)
    {
        passkey.ToTable("Passkeys");
        passkey.Property<DateTime?>(PasskeyColumns.LastUsedAt);
        passkey.Property<long>(PasskeyColumns.SignCount);
    }
}
