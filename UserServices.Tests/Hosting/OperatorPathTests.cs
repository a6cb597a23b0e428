using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Hosting;

/// <summary>
/// The built program run the way the README and <c>deploy/</c> run it: from its own folder (the systemd unit's
/// <c>WorkingDirectory</c>) and from another, with the unit's environment, on a database that already has its
/// schema, with a <c>.env</c> at the source root, and asked for <c>--help</c>.
/// </summary>
public sealed class OperatorPathTests(PostgresServer server)
{
    private const string AdminPassword = "a long admin passphrase";

    /// <summary>Where the built program and its appsettings.json are, as <c>/opt/userservices</c> after a publish.</summary>
    private static string ProgramFolder => Path.GetDirectoryName(ApiProcess.DllPath)!;

    private static Dictionary<string, string?> Production(string databaseUrl) => new()
    {
        ["DATABASE_URL"] = databaseUrl,
        ["SECRET_KEY"] = UserServicesApp.SecretKey,
        ["BCRYPT_WORK_FACTOR"] = "4",
    };

    private static Dictionary<string, string?> WithAdmin(Dictionary<string, string?> settings, string userName)
    {
        settings["ADMIN_USERNAME"] = userName;
        settings["ADMIN_EMAIL"] = $"{userName}@example.com";
        settings["ADMIN_PASSWORD"] = AdminPassword;
        return settings;
    }

    private static async Task<HttpStatusCode> SignInAsync(ServingApiProcess service, string userName, string password)
    {
        using var client = new HttpClient { BaseAddress = service.Address };
        var response = await client.PostAsync("/user/token", new FormUrlEncodedContent([new("username", userName), new("password", password)]));
        return response.StatusCode;
    }

    private static string SummaryOf(ServingApiProcess service) =>
        service.Output.SingleOrDefault(line => line.Contains("UserServices: environment ", StringComparison.Ordinal))?.Trim()
        ?? throw new ShouldAssertException($"No start-up summary line.\n{string.Join('\n', service.Output)}");

    [Fact]
    public async Task Help_lists_every_command_and_each_command_has_its_own()
    {
        var root = await ApiProcess.RunAsync(new Dictionary<string, string?>(), "--help");
        var admin = await ApiProcess.RunAsync(new Dictionary<string, string?>(), "admin", "--help");
        var import = await ApiProcess.RunAsync(new Dictionary<string, string?>(), "import-legacy", "-h");

        root.ExitCode.ShouldBe(0, root.ToString());
        foreach (var command in new[] { "serve", "migrate", "import-legacy", "admin", "--urls <URLS>", "--environment <NAME>" })
        {
            root.StandardOutput.ShouldContain(command, Case.Sensitive, root.ToString());
        }

        root.StandardOutput.ShouldNotContain("Now listening", Case.Sensitive, root.ToString());
        admin.ExitCode.ShouldBe(0, admin.ToString());
        foreach (var verb in new[] { "grant <USERNAME>", "revoke <USERNAME>", "unlock <USERNAME>", "create <USERNAME>", "set-password <USERNAME>", "list" })
        {
            admin.StandardOutput.ShouldContain(verb, Case.Sensitive, admin.ToString());
        }

        import.ExitCode.ShouldBe(0, import.ToString());
        import.StandardOutput.ShouldContain("--from <DATABASE_URL> (REQUIRED)", Case.Sensitive, import.ToString());
        import.StandardOutput.ShouldContain("--dry-run", Case.Sensitive, import.ToString());
    }

    [Theory]
    [InlineData("UserServices.Api: Unrecognized command or argument 'frobnicate'.", "frobnicate")]
    [InlineData("UserServices.Api: Unrecognized command or argument '--hlep'.", "--hlep")]
    [InlineData("migrate: Unrecognized command or argument '--force'.", "migrate", "--force")]
    [InlineData("admin: Unrecognized command or argument 'promote'.", "admin", "promote", "alice")]
    [InlineData("admin create: Option '--email' is required.", "admin", "create", "alice")]
    public async Task Unknown_commands_and_options_are_errors_and_nothing_starts(string message, params string[] arguments)
    {
        // No database, no key: were anything to start, it would say so (or serve for ever).
        var result = await ApiProcess.RunAsync(new Dictionary<string, string?>(), arguments);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldContain(message, Case.Sensitive, result.ToString());
        result.StandardError.ShouldContain("--help' for usage.", Case.Sensitive, result.ToString());
        result.StandardOutput.ShouldBeEmpty(result.ToString());
    }

    [Fact]
    public async Task Replicas_started_with_the_systemd_units_environment_each_listen_on_their_own_port()
    {
        var databaseUrl = await server.CreateDatabaseAsync("systemdunit");
        // deploy/userservices@.service, as systemd would read it: %i is the instance (the port), the working directory
        // is the program's folder (where appsettings.json is), HOME a writable state folder.
        var unit = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "deploy", "userservices@.service"));
        unit.ShouldContain("WorkingDirectory=/opt/userservices");
        var home = Directory.CreateTempSubdirectory("userservices-home-").FullName;
        var environment = Production(databaseUrl);
        environment["Database__MigrateOnStartup"] = "false";
        foreach (var line in unit.Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)))
        {
            var (key, value) = (line["Environment=".Length..].Split('=', 2)[0], line["Environment=".Length..].Split('=', 2)[1]);
            environment[key] = value.Replace("%i", "{port}", StringComparison.Ordinal).Replace("/var/lib/userservices", home, StringComparison.Ordinal);
        }

        environment.ShouldContainKeyAndValue("ASPNETCORE_URLS", "http://127.0.0.1:{port}");
        // The README's order: migrate once, then the replicas.
        var migrate = await ApiProcess.RunWithAsync(environment, standardInput: null, workingDirectory: ProgramFolder, "migrate");
        migrate.ExitCode.ShouldBe(0, migrate.ToString());

        await using var first = await ServingApiProcess.StartAsync(environment, workingDirectory: ProgramFolder, setsUrls: false);
        await using var second = await ServingApiProcess.StartAsync(environment, workingDirectory: ProgramFolder, setsUrls: false);

        first.Port.ShouldNotBe(second.Port);
        foreach (var replica in new[] { first, second })
        {
            SummaryOf(replica).ShouldContain($"listening on http://127.0.0.1:{replica.Port.ToString(CultureInfo.InvariantCulture)};", Case.Sensitive);
            replica.Output.ShouldNotContain(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));
        }

        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task Started_from_another_folder_it_reads_the_settings_beside_it_and_sums_them_up_in_one_line()
    {
        var databaseUrl = await server.CreateDatabaseAsync("elsewhere");

        // ServingApiProcess runs it in an empty temporary folder, as `systemd-run … migrate` runs it in /.
        await using var service = await ServingApiProcess.StartAsync(Production(databaseUrl));

        service.Output.ShouldContain(line => line.Trim() == $"Content root path: {ProgramFolder}{Path.DirectorySeparatorChar}", string.Join('\n', service.Output));
        // appsettings.json (beside the program) keeps EF Core's SQL at warnings: migrating prints none of it.
        service.Output.ShouldNotContain(line => line.Contains("Executed DbCommand", StringComparison.Ordinal), string.Join('\n', service.Output));
        var summary = SummaryOf(service);
        summary.ShouldStartWith($"UserServices: environment Production; listening on {service.Address.ToString().TrimEnd('/')}; database Postgres (Host=");
        summary.ShouldNotContain("Password", Case.Insensitive);
        summary.ShouldContain("; tokens HS256 (kid ", Case.Sensitive);
        summary.ShouldEndWith(
            ", issuer user-services, audience user-services; no registered clients (any client_id accepted); "
            + "mail off (SMTP_URL unset: recovery endpoints answer 503); rate limits counted in memory; "
            + $"bcrypt {(Api.Passwords.BcryptSelection.NativeProblem() is null ? "native (libxcrypt)" : "managed (BCrypt.Net-Next)")}; no .env file");
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Start_then_seed_an_admin_works_on_a_migrated_database_by_migrate_and_at_start(string provider)
    {
        var folder = Directory.CreateTempSubdirectory("userservices-seed-").FullName;
        var databaseUrl = provider == "postgres"
            ? await server.CreateDatabaseAsync("startthenseed")
            : $"sqlite:///{Path.Combine(folder, "userservices.db")}";

        // The README's order: start the service (it migrates), then seed the admin with `migrate`.
        await using (var service = await ServingApiProcess.StartAsync(Production(databaseUrl)))
        {
            var seed = await ApiProcess.RunAsync(WithAdmin(Production(databaseUrl), "admin"), "migrate");

            seed.ExitCode.ShouldBe(0, seed.ToString());
            seed.StandardOutput.ShouldContain("Admin account admin created.", Case.Sensitive, seed.ToString());
            (await SignInAsync(service, "admin", AdminPassword)).ShouldBe(HttpStatusCode.OK);
        }

        // Again, idempotent; and at start (MigrateOnStartup) for a second admin, on the now migrated database.
        var again = await ApiProcess.RunAsync(WithAdmin(Production(databaseUrl), "admin"), "migrate");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.StandardOutput.ShouldContain("Admin account admin already exists; left unchanged.", Case.Sensitive, again.ToString());
        await using (var service = await ServingApiProcess.StartAsync(WithAdmin(Production(databaseUrl), "second")))
        {
            (await SignInAsync(service, "second", AdminPassword)).ShouldBe(HttpStatusCode.OK);
            (await SignInAsync(service, "admin", AdminPassword)).ShouldBe(HttpStatusCode.OK);
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_stale_SQLite_migration_lock_is_removed_with_a_warning_and_migrate_goes_on()
    {
        var folder = Directory.CreateTempSubdirectory("userservices-lock-").FullName;
        var file = Path.Combine(folder, "userservices.db");
        var environment = Production($"sqlite:///{file}");
        (await ApiProcess.RunAsync(environment, "migrate")).ExitCode.ShouldBe(0);
        // What a migrate killed while holding EF Core's lock leaves behind.
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-01-01 00:00:00+00:00');
                """;
            await insert.ExecuteNonQueryAsync();
        }

        var result = await ApiProcess.RunAsync(WithAdmin(environment, "admin"), "migrate");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StandardOutput.ShouldContain("Removed a migration lock taken at 2026-01-01T00:00:00.0000000+00:00 by a migrate that never finished", Case.Sensitive, result.ToString());
        result.StandardOutput.ShouldContain("Admin account admin created.", Case.Sensitive, result.ToString());
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM \"__EFMigrationsLock\"";
            ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_dotenv_at_the_source_root_is_read_when_the_working_directory_has_none_and_the_working_directorys_wins()
    {
        var databaseUrl = await server.CreateDatabaseAsync("dotenv");
        // A checkout: the solution and .env at the root, `dotnet run` working in the project's folder.
        var root = Directory.CreateTempSubdirectory("userservices-checkout-").FullName;
        var project = Directory.CreateDirectory(Path.Combine(root, "UserServices.Api")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "UserServices.sln"), "");
        await File.WriteAllTextAsync(Path.Combine(root, ".env"), $"SECRET_KEY={UserServicesApp.SecretKey}\nDATABASE_URL='{databaseUrl}'\nBCRYPT_WORK_FACTOR=4\n");
        var nothingElse = new Dictionary<string, string?>();

        await using (var service = await ServingApiProcess.StartAsync(nothingElse, workingDirectory: project))
        {
            SummaryOf(service).ShouldEndWith($"; settings also from {Path.Combine(root, ".env")}");
            SummaryOf(service).ShouldContain("; database Postgres (", Case.Sensitive);
        }

        await File.WriteAllTextAsync(Path.Combine(project, ".env"), $"SECRET_KEY={UserServicesApp.SecretKey}\nDATABASE_URL='{databaseUrl}'\nJwt__Audience=from-the-working-directory\n");
        await using (var service = await ServingApiProcess.StartAsync(nothingElse, workingDirectory: project))
        {
            SummaryOf(service).ShouldEndWith($"; settings also from {Path.Combine(project, ".env")}");
            SummaryOf(service).ShouldContain("audience from-the-working-directory;", Case.Sensitive);
        }

        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Admin_create_set_password_and_list_take_the_password_from_standard_input_only()
    {
        var databaseUrl = await server.CreateDatabaseAsync("admincreate");
        var environment = Production(databaseUrl);

        var created = await ApiProcess.RunWithAsync(environment, "a long boss passphrase\n", null, "admin", "create", "Boss", "--email", "boss@example.com");
        var noPassword = await ApiProcess.RunWithAsync(environment, "", null, "admin", "create", "other", "--email", "other@example.com");
        var weak = await ApiProcess.RunWithAsync(environment, "password\n", null, "admin", "set-password", "boss");
        var changed = await ApiProcess.RunWithAsync(environment, "a brand new boss passphrase\n", null, "admin", "set-password", "boss");
        var listed = await ApiProcess.RunAsync(environment, "admin", "list");

        created.ExitCode.ShouldBe(0, created.ToString());
        created.StandardOutput.ShouldContain("Boss (id 1) created, holding the admin role.", Case.Sensitive, created.ToString());
        noPassword.ExitCode.ShouldBe(1, noPassword.ToString());
        noPassword.StandardError.ShouldContain("admin: no password on standard input", Case.Sensitive, noPassword.ToString());
        weak.ExitCode.ShouldBe(1, weak.ToString());
        weak.StandardError.ShouldContain("admin set-password: refused: Password is too common", Case.Sensitive, weak.ToString());
        changed.ExitCode.ShouldBe(0, changed.ToString());
        changed.StandardOutput.ShouldContain("Boss's password is set; every session of the account has ended.", Case.Sensitive, changed.ToString());
        listed.ExitCode.ShouldBe(0, listed.ToString());
        listed.StandardOutput.Split('\n').Select(line => line.Trim()).ShouldContain("1\tBoss\tboss@example.com", listed.ToString());
        foreach (var run in new[] { created, changed, listed })
        {
            (run.StandardOutput + run.StandardError).ShouldNotContain("passphrase", Case.Sensitive, "a password never reaches the output");
        }

        await using var service = await ServingApiProcess.StartAsync(environment);
        (await SignInAsync(service, "boss", "a brand new boss passphrase")).ShouldBe(HttpStatusCode.OK);
        (await SignInAsync(service, "boss", "a long boss passphrase")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Development_mail_is_written_to_a_folder_of_the_instance_named_at_start()
    {
        var development = new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["BCRYPT_WORK_FACTOR"] = "4" };
        var one = Directory.CreateTempSubdirectory("userservices-one-").FullName;
        var two = Directory.CreateTempSubdirectory("userservices-two-").FullName;
        await using var first = await ServingApiProcess.StartAsync(development, workingDirectory: one);
        await using var second = await ServingApiProcess.StartAsync(development, workingDirectory: two);
        var folder = Path.Combine(one, "userservices-mail");

        SummaryOf(first).ShouldContain($"; mail written as .eml files to {folder};", Case.Sensitive);
        using var client = new HttpClient { BaseAddress = first.Address };
        (await client.PostAsync("/user/register", JsonContent.Create(new { username = "alice", email = "alice@example.com", password = "correct horse battery" })))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        await Eventually.TrueAsync(() => Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.eml").Any(), $"no .eml file in {folder}");

        Directory.EnumerateFiles(folder, "*.eml").ShouldHaveSingleItem();
        Directory.Exists(Path.Combine(two, "userservices-mail")).ShouldBeFalse();
        await first.StopAsync();
        await second.StopAsync();
        Directory.Delete(one, recursive: true);
        Directory.Delete(two, recursive: true);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Import_dry_run_writes_nothing_not_even_the_schema(string provider)
    {
        var legacy = await Admin.LegacyDatabase.CreateAsync(server, "dryrunsource", [new(1, "alice", "alice@example.com", Admin.LegacyHashes.AliceHash)]);
        var folder = Directory.CreateTempSubdirectory("userservices-dryrun-").FullName;
        var file = Path.Combine(folder, "target.db");
        var target = provider == "postgres" ? await server.CreateDatabaseAsync("dryruntarget") : $"sqlite:///{file}";

        var run = await ApiProcess.RunAsync(Production(target), "import-legacy", "--from", legacy, "--dry-run");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StandardOutput.ShouldContain("The target database has no schema yet (a real run creates it first)", Case.Sensitive, run.ToString());
        run.StandardOutput.ShouldContain("Dry run, nothing written: would import 1,", Case.Sensitive, run.ToString());
        if (provider == "postgres")
        {
            await using var connection = new Npgsql.NpgsqlConnection(target);
            await connection.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);
        }
        else
        {
            File.Exists(file).ShouldBeFalse();
        }

        Directory.Delete(folder, recursive: true);
    }
}
