namespace UserServices.Tests.Infrastructure;

/// <summary>A per-class database and an <see cref="InstrumentedApp"/> (captured logs, simulated client addresses).</summary>
public class InstrumentedPostgresApp(PostgresServer server) : PostgresApp(server)
{
    public InstrumentedApp Instrumented => (InstrumentedApp)App;

    protected override UserServicesApp CreateApp(Dictionary<string, string?> settings) => new InstrumentedApp(settings);
}
