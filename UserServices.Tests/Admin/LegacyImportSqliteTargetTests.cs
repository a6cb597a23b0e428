using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Admin.LegacyImport;
using UserServices.Api.Commands;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>The embedded SQLite database can be the target too; its AUTOINCREMENT key continues after imported ids.</summary>
public sealed class LegacyImportSqliteTargetTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"userservices-import-{Guid.NewGuid():N}.db");
    private UserServicesApp? _app;

    public ValueTask InitializeAsync()
    {
        var settings = UserServicesApp.Defaults($"sqlite:///{_path}");
        _app = UserServicesApp.Start(settings);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Import_into_sqlite_keeps_ids_and_later_registrations_continue_after_them()
    {
        var legacyUrl = await LegacyDatabase.CreateAsync(server, "legacysqlite",
        [
            new(10, "alice", "alice@example.com", LegacyHashes.CheapHash),
            new(40, "Bob", "bob@example.com", LegacyHashes.NoEmailHash),
        ]);

        var run = await LegacyDatabase.ImportAsync(_app!, legacyUrl);
        var again = await LegacyDatabase.ImportAsync(_app!, legacyUrl);

        run.ExitCode.ShouldBe(LegacyImportCommand.Complete, run.Output + run.Error);
        again.Lines.ShouldContain(l => l.StartsWith("Imported 0, already present 2, conflicting 0, rejected 0", StringComparison.Ordinal));
        await _app!.TokenAsync("bob", LegacyHashes.NoEmailPassword);
        var registered = await _app.RegisterAsync("newcomer", "newcomer@example.com", "correct horse battery");
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await registered.ReadJsonAsync()).GetProperty("id").GetInt32().ShouldBe(41);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
