using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using UserServices.Data;
using UserServices.Data.Tokens;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>
/// The upgrade that adds sessions signs nobody out: every refresh-token family that exists when it runs gets its
/// session row, live or ended as its tokens were — on both providers.
/// </summary>
public sealed class SessionsMigrationTests(PostgresServer server) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("userservices-sessions-migration-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task PostgreSQL_families_of_before_become_sessions()
    {
        var connection = await server.CreateDatabaseAsync(nameof(SessionsMigrationTests));
        await using var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connection).Options);
        await FamiliesBecomeSessionsAsync(db);
    }

    [Fact]
    public async Task SQLite_families_of_before_become_sessions()
    {
        var path = Path.Combine(_directory, "users.db");
        await using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={path}").Options);
        await FamiliesBecomeSessionsAsync(db);
    }

    private static async Task FamiliesBecomeSessionsAsync(UserServicesDbContext db)
    {
        var migrator = db.GetService<IMigrator>();
        // The schema as the release before sessions left it; the account is written in SQL, since today's User has
        // columns later migrations add.
        await migrator.MigrateAsync("OutboxRequester");
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"Users\" (\"UserName\", \"NormalizedUserName\", \"Email\", \"NormalizedEmail\", \"EmailConfirmed\", " +
            "\"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\", \"SecurityStamp\") " +
            "VALUES ('veteran', 'VETERAN', 'veteran@example.com', 'VETERAN@EXAMPLE.COM', false, false, false, true, 0, 'stamp')");
        var userId = await db.Database.SqlQueryRaw<int>("SELECT \"Id\" AS \"Value\" FROM \"Users\" WHERE \"UserName\" = 'veteran'").SingleAsync();
        var login = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
        Guid live = Guid.NewGuid(), revoked = Guid.NewGuid();
        db.RefreshTokens.AddRange(
            Token(userId, live, login, usedAt: login.AddHours(1), revokedAt: null),
            Token(userId, live, login.AddHours(1), usedAt: null, revokedAt: null),
            Token(userId, revoked, login, usedAt: null, revokedAt: login.AddHours(2)));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        await migrator.MigrateAsync("Sessions");

        var sessions = await db.Sessions.AsNoTracking().OrderBy(s => s.EndedAt.HasValue).ToListAsync();
        sessions.Select(s => s.Id).ShouldBe([live, revoked]);
        sessions[0].ShouldSatisfyAllConditions(
            s => s.UserId.ShouldBe(userId),
            s => Utc(s.CreatedAt).ShouldBe(login),
            s => Utc(s.LastUsedAt).ShouldBe(login.AddHours(1)),
            s => Utc(s.ExpiresAt).ShouldBe(login.AddHours(1).AddDays(7)),
            s => Utc(s.AbsoluteExpiresAt).ShouldBe(login.AddDays(14)),
            s => Utc(s.AuthTime).ShouldBe(login),
            s => s.AuthMethods.ShouldBe("pwd"),
            s => s.ClientId.ShouldBe("default"),
            s => s.EndedAt.ShouldBeNull(),
            s => s.EndCause.ShouldBeNull());
        Utc(sessions[1].EndedAt!.Value).ShouldBe(login.AddHours(2));
        sessions[1].EndCause.ShouldBe("revoked");
        // And the tokens now belong to their sessions.
        (await db.RefreshTokens.CountAsync(t => t.Session!.Id == live)).ShouldBe(2);
    }

    private static RefreshToken Token(int userId, Guid family, DateTime issuedAt, DateTime? usedAt, DateTime? revokedAt) => new()
    {
        UserId = userId,
        TokenHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        FamilyId = family,
        IssuedAt = issuedAt,
        ExpiresAt = issuedAt.AddDays(7),
        FamilyExpiresAt = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc).AddDays(14),
        UsedAt = usedAt,
        RevokedAt = revokedAt,
        StampDigest = "digest",
        AuthTime = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc),
        ClientId = "default",
    };

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
