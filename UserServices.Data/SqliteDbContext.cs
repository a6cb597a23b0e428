using Microsoft.EntityFrameworkCore;

namespace UserServices.Data;

/// <summary>The embedded SQLite model, with its own migration set (Migrations/Sqlite).</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : UserServicesDbContext(options);
