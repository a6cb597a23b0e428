using Npgsql;
using UserServices.Api.Commands;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>A row of the Python service's table, as its SQLModel <c>Users</c> model stored it.</summary>
public sealed record LegacyUser(int Id, string UserName, string Email, string HashPassword);

public sealed record ImportRun(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The old service's database: its own database on the test server, reached by a SQLAlchemy URL.</summary>
public static class LegacyDatabase
{
    /// <summary>
    /// What SQLModel's <c>create_all</c> emits for <c>class Users(SQLModel, table=True)</c> with
    /// <c>id: int | None = Field(default=None, primary_key=True)</c>, <c>username: str = Field(unique=True, index=True)</c>,
    /// <c>email: str</c>, <c>hash_password: str</c>: str becomes AutoString (VARCHAR), NOT NULL; an int primary key
    /// becomes SERIAL; unique + index on one column is a single unique index named ix_&lt;table&gt;_&lt;column&gt;, no
    /// separate UNIQUE constraint.
    /// </summary>
    public const string SqlModelDdl = """
        CREATE TABLE users (
            id SERIAL NOT NULL,
            username VARCHAR NOT NULL,
            email VARCHAR NOT NULL,
            hash_password VARCHAR NOT NULL,
            PRIMARY KEY (id)
        );
        CREATE UNIQUE INDEX ix_users_username ON users (username);
        """;

    /// <summary>Creates and fills the old table; returns the old service's DATABASE_URL (postgresql+psycopg://...).</summary>
    public static async Task<string> CreateAsync(PostgresServer server, string prefix, IEnumerable<LegacyUser> users)
    {
        var connectionString = await server.CreateDatabaseAsync(prefix);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var ddl = new NpgsqlCommand(SqlModelDdl, connection))
        {
            await ddl.ExecuteNonQueryAsync();
        }

        foreach (var user in users)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO users (id, username, email, hash_password) VALUES (@id, @username, @email, @hash)", connection);
            insert.Parameters.AddWithValue("id", user.Id);
            insert.Parameters.AddWithValue("username", user.UserName);
            insert.Parameters.AddWithValue("email", user.Email);
            insert.Parameters.AddWithValue("hash", user.HashPassword);
            await insert.ExecuteNonQueryAsync();
        }

        return SqlAlchemyUrl(connectionString);
    }

    /// <summary>Runs <c>import-legacy --from url ...</c> against the app's services, as Program.cs does.</summary>
    public static async Task<ImportRun> ImportAsync(UserServicesApp app, string legacyUrl, params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ServiceCommandLine.RunAsync(
            app.Services, ["import-legacy", "--from", legacyUrl, .. arguments], new CommandConsole(TextReader.Null, output, error, false), CancellationToken.None);
        return new ImportRun(code, output.ToString(), error.ToString());
    }

    private static string SqlAlchemyUrl(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var password = string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password);
        return $"postgresql+psycopg://{Uri.EscapeDataString(builder.Username!)}{password}@{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
