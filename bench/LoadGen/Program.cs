using LoadGen;

// The load generator of bench/run.sh (see bench/README.md). It starts each service itself (to time start-up and
// read its CPU and memory) and drives it from this second process over loopback.
return args.FirstOrDefault() switch
{
    "pg-start" => await PostgresCommands.StartAsync(args[1..]),
    "pg-stop" => await PostgresCommands.StopAsync(args[1..]),
    "-h" or "--help" => Help(),
    _ => await ServiceRun.RunAsync(BenchOptions.Parse(args)),
};

static int Help()
{
    Console.WriteLine($"""
        LoadGen --api-dll DLL --database-url URL [--warmup S] [--measure S] [--users N] ...   UserServices alone
        {PostgresCommands.Usage}
        """);
    return 0;
}
