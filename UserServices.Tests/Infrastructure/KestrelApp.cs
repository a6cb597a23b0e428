using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The real service on real Kestrel at <c>http://127.0.0.1:&lt;free port&gt;</c>, with its own PostgreSQL database:
/// for clients outside the process, such as a browser, which cannot reach WebApplicationFactory's in-memory TestServer.
/// </summary>
public class KestrelApp(PostgresServer server) : IAsyncLifetime
{
    private UserServicesApp? _app;

    /// <summary>Where the service listens, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public UserServicesApp App => _app ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async ValueTask InitializeAsync()
    {
        var settings = UserServicesApp.Defaults(await server.CreateDatabaseAsync(GetType().Name));
        _app = new UserServicesApp(settings);
        // Port 0: the OS hands out a free port at bind time, so there is no window for another process to take it.
        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app.StartServer(); // migrations run now, not inside the first test
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        BaseAddress = new Uri(address);
        BaseAddress.Host.ShouldBe("127.0.0.1");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
