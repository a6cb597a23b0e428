namespace UserServices.Tests.Infrastructure;

/// <summary>The name the Admin tests know <see cref="ServiceFixture{TTestClass}"/> by.</summary>
public class PostgresApp(PostgresServer server) : ServiceFixture<PostgresApp>(server);
