using Microsoft.Data.Sqlite;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// The service on the embedded SQLite file `dotnet run` uses without DATABASE_URL, in a folder of its own that goes
/// with it (after SQLite's pooled connections let go of the file).
/// </summary>
public sealed class SqliteService : IAsyncDisposable
{
    private readonly string _directory;

    public SqliteService(string folderPrefix, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _directory = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var all = new Dictionary<string, string?>
        {
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["BCRYPT_WORK_FACTOR"] = "4",
            ["Database:SqlitePath"] = DatabasePath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        App = UserServicesApp.Start(all);
    }

    public UserServicesApp App { get; }

    public string DatabasePath => Path.Combine(_directory, "users.db");

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
