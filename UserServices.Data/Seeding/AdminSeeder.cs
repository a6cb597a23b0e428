using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserServices.Data.Users;

namespace UserServices.Data.Seeding;

/// <summary>
/// Creates the admin account when it is missing. EF Core runs it after every migrate (also when nothing was
/// migrated), so it only ever inserts: an existing account — and its password — is left alone.
/// </summary>
public sealed class AdminSeeder(
    AdminAccount account,
    IPasswordHasher<User> hasher,
    ILookupNormalizer normalizer,
    Func<User, string, IReadOnlyList<string>> accountProblems,
    ILogger logger)
{
    public async Task SeedAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!account.IsRequested)
        {
            logger.LogInformation("No admin account requested (ADMIN_USERNAME/ADMIN_PASSWORD not set); seeding skipped.");
            return;
        }

        var admin = NewAdmin();
        var users = db.Set<User>();
        if (await users.AnyAsync(u => u.NormalizedUserName == admin.NormalizedUserName, cancellationToken))
        {
            logger.LogInformation("Admin account {UserName} already exists; left unchanged.", admin.UserName);
            return;
        }

        var adminRoleId = await db.Set<Role>().Where(r => r.NormalizedName == "ADMIN").Select(r => r.Id).SingleAsync(cancellationToken);
        // Account and role together or not at all: a later run skips existing accounts and would never add the role.
        // When nothing was left to migrate, EF Core runs the seed inside the transaction that holds its migration
        // lock, and a connection takes no second one: then the seed is part of that transaction, committed with it.
        await using var transaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        users.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
        db.Set<IdentityUserRole<int>>().Add(new IdentityUserRole<int> { UserId = admin.Id, RoleId = adminRoleId });
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogInformation("Admin account {UserName} created.", admin.UserName);
    }

    // `dotnet ef database update` only calls the synchronous seeding hook; a console tool has no context to deadlock.
    public void Seed(DbContext db) => SeedAsync(db, CancellationToken.None).GetAwaiter().GetResult();

    private User NewAdmin()
    {
        if (string.IsNullOrWhiteSpace(account.UserName) || string.IsNullOrWhiteSpace(account.Email) || string.IsNullOrEmpty(account.Password))
        {
            throw new InvalidOperationException(
                "Admin seeding needs all three of ADMIN_USERNAME, ADMIN_EMAIL and ADMIN_PASSWORD; set the missing ones or unset all three.");
        }

        var admin = new User
        {
            UserName = account.UserName,
            NormalizedUserName = normalizer.NormalizeName(account.UserName),
            Email = account.Email,
            NormalizedEmail = normalizer.NormalizeEmail(account.Email),
            EmailConfirmed = true,
            LockoutEnabled = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
        };
        var problems = accountProblems(admin, account.Password);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        admin.PasswordHash = hasher.HashPassword(admin, account.Password);
        return admin;
    }
}
