using Microsoft.EntityFrameworkCore;

namespace UserServices.Data;

/// <summary>The PostgreSQL model, with its own migration set (Migrations/Postgres).</summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : UserServicesDbContext(options);
