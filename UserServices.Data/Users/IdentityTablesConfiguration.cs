using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Users;

/// <summary>Identity's other tables, named without the <c>AspNet</c> prefix (naming conventions do not rename them).</summary>
internal sealed class IdentityTablesConfiguration :
    IEntityTypeConfiguration<IdentityUserRole<int>>,
    IEntityTypeConfiguration<IdentityUserClaim<int>>,
    IEntityTypeConfiguration<IdentityUserLogin<int>>,
    IEntityTypeConfiguration<IdentityUserToken<int>>,
    IEntityTypeConfiguration<IdentityRoleClaim<int>>
{
    public void Configure(EntityTypeBuilder<IdentityUserRole<int>> builder) => builder.ToTable("UserRoles");
    public void Configure(EntityTypeBuilder<IdentityUserClaim<int>> builder) => builder.ToTable("UserClaims");
    public void Configure(EntityTypeBuilder<IdentityUserLogin<int>> builder) => builder.ToTable("UserLogins");
    public void Configure(EntityTypeBuilder<IdentityUserToken<int>> builder) => builder.ToTable("UserTokens");
    public void Configure(EntityTypeBuilder<IdentityRoleClaim<int>> builder) => builder.ToTable("RoleClaims");
}
