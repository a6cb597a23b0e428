using System.Net;
using StackExchange.Redis;
using UserServices.Api.RateLimits;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.RateLimits;

/// <summary>REDIS_URL in both accepted forms, and a bad one stopping the service in one line that names it.</summary>
public sealed class RedisUrlTests(PostgresServer server)
{
    [Fact]
    public void A_redis_url_gives_host_port_password_and_database()
    {
        var options = RedisUrl.Parse("redis://:s%40cret@cache.internal:6380/2");

        options.EndPoints.Single().ShouldBe(new DnsEndPoint("cache.internal", 6380));
        options.Password.ShouldBe("s@cret");
        options.User.ShouldBeNull();
        options.DefaultDatabase.ShouldBe(2);
        options.Ssl.ShouldBeFalse();
    }

    [Fact]
    public void A_rediss_url_with_a_user_and_no_port_uses_TLS_and_6379()
    {
        var options = RedisUrl.Parse("rediss://svc:pw@cache.internal");

        options.EndPoints.Single().ShouldBe(new DnsEndPoint("cache.internal", 6379));
        options.User.ShouldBe("svc");
        options.Password.ShouldBe("pw");
        options.DefaultDatabase.ShouldBeNull();
        options.Ssl.ShouldBeTrue();
    }

    [Fact]
    public void A_configuration_string_is_taken_as_StackExchange_Redis_reads_it()
    {
        var options = RedisUrl.Parse("127.0.0.1:6390,password=pw,defaultDatabase=3,asyncTimeout=250");

        options.EndPoints.Single().ShouldBe(new IPEndPoint(IPAddress.Loopback, 6390));
        options.Password.ShouldBe("pw");
        options.DefaultDatabase.ShouldBe(3);
        options.AsyncTimeout.ShouldBe(250);
    }

    [Fact]
    public void Either_form_keeps_serving_while_Redis_is_away()
    {
        var options = RedisUrl.Parse("redis://127.0.0.1:6379");

        options.AbortOnConnectFail.ShouldBeFalse();
        options.BacklogPolicy.ShouldBe(BacklogPolicy.FailFast);
        options.AsyncTimeout.ShouldBe(1000);
    }

    [Theory]
    [InlineData("http://cache.internal:6379")]
    [InlineData("redis://cache.internal:6379/zero")]
    [InlineData("redis://")]
    [InlineData("password=only")]
    public void Unusable_values_are_refused(string value) =>
        Should.Throw<FormatException>(() => RedisUrl.Parse(value));

    [Fact]
    public async Task A_bad_REDIS_URL_stops_the_service_in_one_line_naming_it_and_not_its_password()
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = await server.CreateDatabaseAsync("badredis"),
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["REDIS_URL"] = "redis://:hunter2-secret@cache.internal:6379/first",
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldContain(
            "Configuration error: REDIS_URL (RateLimits:RedisUrl) is not valid: the database after the host must be a number (redis://host:6379/0).",
            result.ToString());
        result.ToString().ShouldNotContain("hunter2");
    }
}
