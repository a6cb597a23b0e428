using LoadGen;

// The load generator of bench/run.sh (see bench/README.md). It starts each service itself (to time start-up and
// read its CPU and memory) and drives it from this second process over loopback.
return args.FirstOrDefault() switch
{
    "pg-start" => await PostgresCommands.StartAsync(args[1..]),
    "pg-stop" => await PostgresCommands.StopAsync(args[1..]),
    "peers" => await PeersRun.RunAsync(BenchOptions.Parse(args[1..])),
    "-h" or "--help" => Help(),
    _ => await ServiceRun.RunAsync(BenchOptions.Parse(args)),
};

static int Help()
{
    Console.WriteLine($"""
        LoadGen --api-dll DLL --database-url URL [--warmup S] [--measure S] [--users N] ...   UserServices alone
        LoadGen peers --api-dll DLL --database-url URL [--seed-dir DIR] [--identity-dir DIR --identity-database CS] ...
                                                                         UserServices and the peers side by side
        {PostgresCommands.Usage}
        """);
    return 0;
}
