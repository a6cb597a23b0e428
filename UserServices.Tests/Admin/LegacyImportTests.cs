using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Admin.LegacyImport;
using UserServices.Api.Commands;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

public sealed class LegacyImportTests(LegacyImportTests.Fixture fixture) : IClassFixture<LegacyImportTests.Fixture>
{
    public static readonly LegacyUser[] Rows =
    [
        new(1, "alice", "alice@example.com", LegacyHashes.AliceHash),
        new(2, "Bob", "bob@example.com", LegacyHashes.BobHash),
        new(3, "carol", "carol@example.com", LegacyHashes.CarolHash),
        new(5, "bob", "bob2@example.com", LegacyHashes.LowerBobHash),           // "Bob" ignoring case: conflicting
        new(7, "dave", "", LegacyHashes.NoEmailHash),                           // empty email: imported without one
        new(8, "erin", "erin@example.com", LegacyHashes.DjangoHash),            // not bcrypt: imported without a password
        new(9, "frank smith", "frank@example.com", LegacyHashes.SpacedHash),    // registration refuses the space: imported
        new(12, "grace", "ALICE@Example.com", LegacyHashes.CheapHash),          // alice's email ignoring case: conflicting
        new(15, "   ", "blank@example.com", LegacyHashes.CheapHash),            // no username: rejected
        new(21, "ivan", "not-an-email", LegacyHashes.CheapHash),                // invalid email: kept, with a warning
    ];

    public sealed class Fixture(PostgresServer server) : ServiceFixture<LegacyImportTests>(server)
    {
        public string LegacyUrl { get; private set; } = "";
        public ImportRun DryRun { get; private set; } = null!;
        public int UsersAfterDryRun { get; private set; }
        public ImportRun FirstRun { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            LegacyUrl = await LegacyDatabase.CreateAsync(Server, "legacyusers", Rows);
            // Batches of 3 put "Bob" and "bob", alice and grace's email, in different transactions.
            DryRun = await ImportAsync("--dry-run");
            UsersAfterDryRun = await App.WithDbAsync(db => db.Users.CountAsync());
            FirstRun = await ImportAsync();
        }

        public Task<ImportRun> ImportAsync(params string[] arguments) =>
            LegacyDatabase.ImportAsync(App, LegacyUrl, ["--batch-size", "3", .. arguments]);
    }

    private UserServicesApp App => fixture.App;

    [Fact]
    public void Import_reports_every_row_in_exactly_one_outcome_and_exits_2_when_rows_are_left_behind()
    {
        var run = fixture.FirstRun;

        run.ExitCode.ShouldBe(LegacyImportCommand.RowsLeftBehind, run.Output + run.Error);
        run.Lines.ShouldContain(l => l.StartsWith("Imported 7, already present 0, conflicting 2, rejected 1 (10 rows in ", StringComparison.Ordinal)
            && l.EndsWith("4 imported with warnings).", StringComparison.Ordinal));
        run.Lines.ShouldContain("conflict: row id 5 'bob': username is taken (ignoring case) by user id 2 'Bob'; not imported");
        run.Lines.ShouldContain("conflict: row id 12 'grace': email 'ALICE@Example.com' is taken (ignoring case) by user id 1 'alice'; not imported");
        run.Lines.ShouldContain("rejected: row id 15 '   ': username is empty");
        run.Lines.ShouldContain("warning: row id 7 'dave': email is empty; imported without an email");
        run.Lines.ShouldContain("warning: row id 8 'erin': password hash is not bcrypt; imported without a password (the user cannot log in until one is set)");
        run.Lines.ShouldContain("warning: row id 9 'frank smith': username is one registration refuses (Username 'frank smith' is invalid: it may contain only letters and digits of any script and - . _ @ +, with no spaces or other symbols (a space is not allowed).); imported as is (login accepts it)");
        run.Lines.ShouldContain("warning: row id 21 'ivan': email 'not-an-email' is not an address registration accepts; imported as is");
        run.Error.ShouldBeEmpty();
    }

    [Fact]
    public void Dry_run_reports_the_same_outcomes_and_writes_nothing()
    {
        var run = fixture.DryRun;

        run.ExitCode.ShouldBe(LegacyImportCommand.RowsLeftBehind, run.Output + run.Error);
        run.Lines.ShouldContain(l => l.StartsWith("Dry run, nothing written: would import 7, already present 0, conflicting 2, rejected 1 (10 rows", StringComparison.Ordinal));
        run.Lines.ShouldContain("conflict: row id 5 'bob': username is taken (ignoring case) by user id 2 'Bob'; not imported");
        fixture.UsersAfterDryRun.ShouldBe(0);
    }

    [Fact]
    public async Task Imported_users_keep_id_username_email_and_hash_and_get_identity_columns_and_the_user_role()
    {
        var users = await App.WithDbAsync(db => db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync());
        var roles = await App.WithDbAsync(db => db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync());

        users.Where(u => u.Id <= 21).Select(u => u.Id).ShouldBe([1, 2, 3, 7, 8, 9, 21]);
        var alice = users.Single(u => u.Id == 1);
        alice.UserName.ShouldBe("alice");
        alice.NormalizedUserName.ShouldBe("ALICE");
        alice.Email.ShouldBe("alice@example.com");
        alice.NormalizedEmail.ShouldBe("ALICE@EXAMPLE.COM");
        alice.PasswordHash.ShouldBe(LegacyHashes.AliceHash);
        alice.LockoutEnabled.ShouldBeTrue();
        alice.AccessFailedCount.ShouldBe(0);
        alice.EmailConfirmed.ShouldBeFalse();
        users.Single(u => u.Id == 2).NormalizedUserName.ShouldBe("BOB");
        users.Single(u => u.Id == 3).PasswordHash.ShouldBe(LegacyHashes.CarolHash);
        users.Where(u => u.Id <= 21).ShouldAllBe(u => !string.IsNullOrEmpty(u.SecurityStamp) && !string.IsNullOrEmpty(u.ConcurrencyStamp));
        users.Where(u => u.Id <= 21).Select(u => u.SecurityStamp).Distinct().Count().ShouldBe(7);

        var dave = users.Single(u => u.Id == 7);
        (dave.Email, dave.NormalizedEmail).ShouldBe((null, null));
        users.Single(u => u.Id == 8).PasswordHash.ShouldBeNull();
        users.Single(u => u.Id == 9).UserName.ShouldBe("frank smith");
        users.Single(u => u.Id == 21).Email.ShouldBe("not-an-email");

        foreach (var id in new[] { 1, 2, 3, 7, 8, 9, 21 })
        {
            roles.Where(r => r.UserId == id).Select(r => r.Name).ShouldBe([Role.Member], $"user {id}");
        }
    }

    [Fact]
    public async Task Second_run_imports_nothing_and_changes_nothing()
    {
        var before = await SnapshotAsync();

        var run = await fixture.ImportAsync();

        run.ExitCode.ShouldBe(LegacyImportCommand.RowsLeftBehind);
        run.Lines.ShouldContain(l => l.StartsWith("Imported 0, already present 7, conflicting 2, rejected 1 (10 rows", StringComparison.Ordinal));
        run.Lines.ShouldNotContain(l => l.StartsWith("warning:", StringComparison.Ordinal));
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Registration_after_the_import_gets_an_id_above_the_highest_imported_one()
    {
        var response = await App.RegisterAsync("newcomer", "newcomer@example.com", "correct horse battery");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await response.ReadJsonAsync()).GetProperty("id").GetInt32().ShouldBeGreaterThan(21);
    }

    [Fact]
    public async Task Registration_cannot_take_an_imported_username_in_another_case()
    {
        var response = await App.RegisterAsync("ALICE", "other-alice@example.com", "correct horse battery");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("alice", LegacyHashes.AlicePassword, 1, "alice@example.com")]        // passlib $2b$12$
    [InlineData("bob", LegacyHashes.BobPassword, 2, "bob@example.com")]              // "Bob", looked up ignoring case
    [InlineData("carol", LegacyHashes.CarolPassword, 3, "carol@example.com")]        // htpasswd $2y$10$
    [InlineData("dave", LegacyHashes.NoEmailPassword, 7, "")]                        // no email: "" as the old service showed it
    [InlineData("frank smith", LegacyHashes.SpacedPassword, 9, "frank@example.com")] // username registration refuses, non-ASCII password
    [InlineData("ivan", LegacyHashes.CheapPassword, 21, "not-an-email")]
    public async Task Imported_users_log_in_with_their_old_passwords(string username, string password, int id, string email)
    {
        var token = await App.TokenAsync(username, password);

        var profile = await App.BearerClient(token).GetAsync("/user/user");
        profile.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await profile.ReadJsonAsync();
        body.GetProperty("id").GetInt32().ShouldBe(id);
        body.Str("email").ShouldBe(email);
    }

    [Theory]
    [InlineData("erin", "any password at all")]                          // hash was not bcrypt: no password
    [InlineData("bob", LegacyHashes.LowerBobPassword)]                   // the conflicting "bob" (id 5) was not imported
    [InlineData("grace", LegacyHashes.CheapPassword)]                    // conflicting on email
    public async Task Users_without_an_importable_password_or_not_imported_cannot_log_in(string username, string password)
    {
        var response = await App.PostTokenAsync(("username", username), ("password", password));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Failed_logins_of_a_user_with_a_refused_username_and_no_email_still_count_toward_lockout()
    {
        // Identity saves the failed-attempt counter through UpdateAsync, which runs the user validators.
        (await App.PostTokenAsync(("username", "dave"), ("password", "not the password"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == 7))).AccessFailedCount.ShouldBe(1);
        await App.TokenAsync("dave", LegacyHashes.NoEmailPassword);
        (await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == 7))).AccessFailedCount.ShouldBe(0);
    }

    [Fact]
    public async Task Command_refuses_bad_arguments_and_a_missing_table_with_exit_code_1()
    {
        var missingFrom = await ServiceCommandLine.RunAsync(
            App.Services, ["import-legacy"], new CommandConsole(TextReader.Null, TextWriter.Null, new StringWriter(), false), CancellationToken.None);
        var badTable = await fixture.ImportAsync("--table", "users; DROP TABLE users");
        var noTable = await fixture.ImportAsync("--table", "accounts");

        missingFrom.ShouldBe(LegacyImportCommand.Failed);
        badTable.ExitCode.ShouldBe(LegacyImportCommand.Failed);
        badTable.Error.ShouldContain("is not a table name");
        noTable.ExitCode.ShouldBe(LegacyImportCommand.Failed);
        noTable.Error.ShouldContain("relation \"accounts\" does not exist");
    }

    private Task<string[]> SnapshotAsync() => App.WithDbAsync(async db =>
    {
        var users = (await db.Users.AsNoTracking().Where(u => u.Id <= 21).OrderBy(u => u.Id).ToListAsync())
            .Select(u => string.Join('|', u.Id, u.UserName, u.NormalizedUserName, u.Email, u.NormalizedEmail, u.PasswordHash, u.SecurityStamp, u.ConcurrencyStamp, u.LockoutEnabled));
        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId <= 21).OrderBy(r => r.UserId).Select(r => r.UserId + ":" + r.RoleId).ToListAsync();
        return users.Concat(roles).ToArray();
    });
}
