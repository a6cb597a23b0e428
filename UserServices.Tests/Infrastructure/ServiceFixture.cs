namespace UserServices.Tests.Infrastructure;

/// <summary>
/// One service per test class, on a PostgreSQL database of its own named after <typeparamref name="TTestClass"/>
/// (so a leftover database says which class made it). A class that needs other settings, seed data or Kestrel
/// derives from it; the others use it as it is.
/// </summary>
public class ServiceFixture<TTestClass>(PostgresServer server) : IAsyncLifetime
{
    private UserServicesApp? _app;

    public PostgresServer Server => server;

    public string DatabaseUrl { get; private set; } = "";

    public UserServicesApp App => _app ?? throw new InvalidOperationException("The fixture is not initialised.");

    public virtual async ValueTask InitializeAsync()
    {
        DatabaseUrl = await server.CreateDatabaseAsync(typeof(TTestClass).Name);
        var settings = UserServicesApp.Defaults(DatabaseUrl);
        Configure(settings);
        _app = Start(settings);
    }

    /// <summary>Changes the settings of this class's service.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Starts this class's service: in-process unless overridden.</summary>
    protected virtual UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) => UserServicesApp.Start(settings);

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
