using System.Globalization;
using UserServices.Tests.Infrastructure;

namespace LoadGen;

/// <summary>
/// <c>pg-start</c> and <c>pg-stop</c>: the benchmark's scripts start and stop their throwaway PostgreSQL through
/// these, with the tests' own <see cref="PostgresCluster"/>, instead of a copy of that logic in shell.
/// </summary>
internal static class PostgresCommands
{
    public const string Usage = """
        LoadGen pg-start [--root DIR] [--database NAME] [--preload LIB]
                                                          start a cluster (in DIR, or a new temporary folder), create
                                                          database NAME; prints "<port> <root> <bin>" on one line
                                                          (<bin>: the folder with the server binaries); --preload puts
                                                          LIB in shared_preload_libraries (skipped, with a message on
                                                          stderr, when the server has no LIB.so)
        LoadGen pg-stop --root DIR                        stop the cluster in DIR and delete DIR
        """;

    public static async Task<int> StartAsync(string[] args)
    {
        var values = Pairs(args);
        var cluster = await PostgresCluster.StartAsync(values.GetValueOrDefault("root"), Preloadable(values.GetValueOrDefault("preload")));
        try
        {
            if (values.GetValueOrDefault("database") is { } database)
            {
                await cluster.CreateDatabaseAsync(database);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cluster.Port} {cluster.Root} {cluster.BinDirectory}"));
        return 0;
    }

    public static async Task<int> StopAsync(string[] args)
    {
        var root = Pairs(args).GetValueOrDefault("root") ?? throw new ArgumentException("pg-stop needs --root DIR.");
        await PostgresCluster.StopAsync(root);
        return 0;
    }

    /// <summary>
    /// The library, if the server's package ships it (Debian: postgresql-NN has pg_stat_statements in its lib folder);
    /// a server told to preload a library it lacks would not start at all.
    /// </summary>
    private static string? Preloadable(string? library)
    {
        if (library is null)
        {
            return null;
        }

        var binDir = PostgresCluster.FindBinaries();
        if (binDir is not null && File.Exists(Path.Combine(binDir, "..", "lib", library + ".so")))
        {
            return library;
        }

        Console.Error.WriteLine($"pg-start: {library}.so not found beside {binDir ?? "the server binaries"}; starting without it.");
        return null;
    }

    private static Dictionary<string, string> Pairs(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return args.Length % 2 == 0 ? values : throw new ArgumentException($"Expected `--name value` pairs.\n{Usage}");
    }
}
