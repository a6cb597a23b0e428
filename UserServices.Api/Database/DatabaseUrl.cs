using Npgsql;

namespace UserServices.Api.Database;

/// <summary>A database to connect to, read from DATABASE_URL in any of the forms operators already have.</summary>
public sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString)
{
    private static readonly string[] PostgresSchemes = ["postgresql", "postgres"];

    /// <summary>
    /// Accepts SQLAlchemy URLs as the Python service used them (<c>postgresql+psycopg://u:p@host:5432/db</c>),
    /// plain <c>postgresql://</c>/<c>postgres://</c> URLs, Npgsql connection strings (<c>Host=...;</c>) and
    /// <c>sqlite:///path</c>.
    /// </summary>
    public static DatabaseUrl Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        value = value.Trim();
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return FromNpgsqlConnectionString(value);
        }

        // SQLAlchemy names the driver after a '+': postgresql+psycopg, postgresql+asyncpg, sqlite+pysqlite...
        var scheme = value[..schemeEnd].Split('+')[0].ToLowerInvariant();
        if (scheme == "sqlite")
        {
            var path = value[(schemeEnd + 3)..].TrimStart('/');
            // sqlite:////abs/path has four slashes; three mean a relative path.
            path = value[(schemeEnd + 3)..].StartsWith("//", StringComparison.Ordinal) ? "/" + path : path;
            if (path.Length == 0)
            {
                throw new FormatException("DATABASE_URL 'sqlite:///' needs a file path, e.g. sqlite:///userservices.db.");
            }

            return new DatabaseUrl(DatabaseProvider.Sqlite, $"Data Source={path}");
        }

        if (!PostgresSchemes.Contains(scheme))
        {
            throw new FormatException(
                $"DATABASE_URL scheme '{scheme}' is not supported; use postgresql://user:password@host:port/database.");
        }

        return FromPostgresUri(value, schemeEnd);
    }

    public static bool TryParse(string value, out DatabaseUrl? url, out string? error)
    {
        try
        {
            url = Parse(value);
            error = null;
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            url = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>The connection string without its password, for logs.</summary>
    /// <summary>For logs: the SQLite file's full path, or the PostgreSQL connection without its password.</summary>
    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? Path.GetFullPath(ConnectionString["Data Source=".Length..])
        : Redacted;

    public string Redacted => Provider == DatabaseProvider.Postgres
        ? new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString
        : ConnectionString;

    private static DatabaseUrl FromPostgresUri(string value, int schemeEnd)
    {
        // Uri does not know SQLAlchemy's 'postgresql+psycopg' scheme; parse the rest as a plain postgres URL.
        if (!Uri.TryCreate("postgres" + value[schemeEnd..], UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("DATABASE_URL is not a valid URL; expected postgresql://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var setting = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            // libpq spells it 'sslmode', Npgsql 'SSL Mode'; the values match once libpq's dashes go (verify-full → VerifyFull).
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                builder["SSL Mode"] = setting.Replace("-", "", StringComparison.Ordinal);
            }
            else
            {
                builder[key] = setting;
            }
        }

        return new DatabaseUrl(DatabaseProvider.Postgres, builder.ConnectionString);
    }

    private static DatabaseUrl FromNpgsqlConnectionString(string value)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new FormatException("DATABASE_URL connection string has no Host=...; expected postgresql://user:password@host:port/database or Host=...;Database=...");
            }

            return new DatabaseUrl(DatabaseProvider.Postgres, builder.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"DATABASE_URL is neither a URL nor a valid Npgsql connection string: {e.Message}", e);
        }
    }
}
