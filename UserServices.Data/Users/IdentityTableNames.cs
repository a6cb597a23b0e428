using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Users;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("Users");
        // Identity makes the username index unique but not the email one; the contract says both are unique,
        // and only the database can settle two registrations racing for the same email.
        user.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex").IsUnique();
    }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> role)
    {
        role.ToTable("Roles");
        // Fixed ids and stamps: seeded rows must be identical on every build, or EF sees a model change.
        role.HasData(
            new Role { Id = 1, Name = Role.Admin, NormalizedName = "ADMIN", ConcurrencyStamp = "5f1c1f36-7b53-4d5e-9d0a-admin0000001" },
            new Role { Id = 2, Name = Role.Member, NormalizedName = "USER", ConcurrencyStamp = "5f1c1f36-7b53-4d5e-9d0a-member000002" });
    }
}

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
