using Npgsql;
using UserServices.Api.Database;

namespace UserServices.Tests.Database;

public sealed class DatabaseUrlTests
{
    private static NpgsqlConnectionStringBuilder Postgres(DatabaseUrl url)
    {
        url.Provider.ShouldBe(DatabaseProvider.Postgres);
        return new NpgsqlConnectionStringBuilder(url.ConnectionString);
    }

    [Theory]
    [InlineData("postgresql+psycopg://svc:secret@db.example.com:6543/users")]
    [InlineData("postgresql://svc:secret@db.example.com:6543/users")]
    [InlineData("postgres://svc:secret@db.example.com:6543/users")]
    [InlineData("postgresql+asyncpg://svc:secret@db.example.com:6543/users")]
    [InlineData("  postgresql://svc:secret@db.example.com:6543/users  ")]
    public void Postgres_urls_in_every_accepted_form_give_the_same_connection(string value)
    {
        var builder = Postgres(DatabaseUrl.Parse(value));

        builder.Host.ShouldBe("db.example.com");
        builder.Port.ShouldBe(6543);
        builder.Database.ShouldBe("users");
        builder.Username.ShouldBe("svc");
        builder.Password.ShouldBe("secret");
    }

    [Fact]
    public void Url_without_a_port_uses_5432()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql+psycopg://svc:secret@db.example.com/users"));

        builder.Port.ShouldBe(5432);
        builder.Host.ShouldBe("db.example.com");
    }

    [Fact]
    public void Url_encoded_user_and_password_are_decoded()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://s%40vc:p%40ss%3Aw%2Frd%23%25@localhost:5432/users"));

        builder.Username.ShouldBe("s@vc");
        builder.Password.ShouldBe("p@ss:w/rd#%");
    }

    [Theory]
    [InlineData("require", SslMode.Require)]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    public void Sslmode_query_parameter_sets_the_ssl_mode(string sslmode, SslMode expected)
    {
        var builder = Postgres(DatabaseUrl.Parse($"postgresql://svc:secret@db.example.com/users?sslmode={sslmode}"));

        builder.SslMode.ShouldBe(expected);
        builder.Database.ShouldBe("users");
    }

    [Fact]
    public void Npgsql_connection_string_is_taken_as_it_is()
    {
        var builder = Postgres(DatabaseUrl.Parse("Host=db.example.com;Port=6543;Database=users;Username=svc;Password=secret"));

        builder.Host.ShouldBe("db.example.com");
        builder.Port.ShouldBe(6543);
        builder.Database.ShouldBe("users");
        builder.Username.ShouldBe("svc");
        builder.Password.ShouldBe("secret");
    }

    [Theory]
    [InlineData("sqlite:///userservices.db", "Data Source=userservices.db")]
    [InlineData("sqlite:///data/app.db", "Data Source=data/app.db")]
    [InlineData("sqlite:////var/lib/app/users.db", "Data Source=/var/lib/app/users.db")]
    [InlineData("sqlite+pysqlite:///userservices.db", "Data Source=userservices.db")]
    public void Sqlite_urls_keep_sqlalchemys_relative_and_absolute_paths(string value, string expected)
    {
        DatabaseUrl.Parse(value).ShouldBe(new DatabaseUrl(DatabaseProvider.Sqlite, expected));
    }

    [Theory]
    [InlineData("mysql://svc:secret@db.example.com/users")]
    [InlineData("http://db.example.com/")]
    [InlineData("postgresql://")]
    [InlineData("postgresql:///users")]
    [InlineData("sqlite:///")]
    [InlineData("not a url at all")]
    [InlineData("Database=users;Username=svc")]
    public void Garbage_is_a_FormatException_naming_DATABASE_URL(string value)
    {
        var error = Should.Throw<FormatException>(() => DatabaseUrl.Parse(value));

        error.Message.ShouldContain("DATABASE_URL");
        DatabaseUrl.TryParse(value, out var url, out var message).ShouldBeFalse();
        url.ShouldBeNull();
        message.ShouldBe(error.Message);
    }

    [Theory]
    [InlineData("postgresql+psycopg://svc:hunter2-secret@db.example.com:5432/users")]
    [InlineData("Host=db.example.com;Database=users;Username=svc;Password=hunter2-secret")]
    public void Redacted_form_has_no_password(string value)
    {
        var url = DatabaseUrl.Parse(value);

        url.ConnectionString.ShouldContain("hunter2-secret");
        url.Redacted.ShouldNotContain("hunter2-secret");
        url.Redacted.ShouldNotContain("Password", Case.Insensitive);
        var redacted = new NpgsqlConnectionStringBuilder(url.Redacted);
        redacted.Host.ShouldBe("db.example.com");
        redacted.Username.ShouldBe("svc");
    }
}
