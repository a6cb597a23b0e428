using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace UserServices.Data.Users;

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
