using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Mail;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Database;

/// <summary>
/// The single-use and counted operations under concurrent requests on the embedded SQLite file, as their PostgreSQL
/// tests fire them: exactly one winner, every failure counted, and never a 5xx. SQLite serialises writers on one file
/// lock, and a statement that commits after its first step (<c>… RETURNING</c>, which EF Core's inserts use too) fails
/// with "database is locked" when another connection holds the file at that moment — at random, so every race runs
/// for many rounds.
/// </summary>
public sealed class SqliteConcurrencyTests
{
    private const string Password = "correct horse battery";
    private const string FolderPrefix = "userservices-sqlite-races-";
    private const string TakenDetail = "That username or email is already registered.";
    private const string WrongRecoveryCode = "The recovery code is wrong or already used.";
    private const string DeadResetToken = "The token is unknown, already used, replaced by a newer one or expired.";
    private const string RecoveryGrant = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

    /// <summary>Requests per race: as many as the PostgreSQL tests fire, four per core here.</summary>
    private const int Racers = 8;

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_all_get_the_same_successor_on_sqlite()
    {
        await using var sqlite = new SqliteService(FolderPrefix, Settings());
        var app = sqlite.App;
        var token = (await app.RegisterAndSignInAsync("racer", Password)).RefreshToken;

        for (var round = 1; round <= 50; round++)
        {
            var responses = await AtOnceAsync(_ => app.RefreshAsync(token));

            var why = Describe(app, responses, round);
            // Within the reuse interval the losers are retries of the winner's rotation, not theft.
            StatusesOf(responses).ShouldBe(AllOf(200), why);
            var successors = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).Str("refresh_token")));
            successors.Distinct().Count().ShouldBe(1, why);
            token = successors[0];
            // One chain, never a fork: the password login's token plus one successor per round, none revoked.
            var rows = await app.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == "racer").ToListAsync());
            rows.Count.ShouldBe(round + 1, why);
            rows.ShouldAllBe(t => t.RevokedAt == null, why);
        }

        (await app.RefreshAsync(token)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Of_concurrent_refreshes_of_one_token_exactly_one_wins_and_the_rest_are_reuse_on_sqlite()
    {
        // With the grace off every second use is reuse, however close: one winner, and the family ends.
        await using var sqlite = new SqliteService(FolderPrefix, Settings(("RefreshTokens:ReuseIntervalSeconds", "0")));
        var app = sqlite.App;

        for (var round = 1; round <= 40; round++)
        {
            var user = $"strict{round}";
            var token = (await app.RegisterAndSignInAsync(user, Password)).RefreshToken;

            var responses = await AtOnceAsync(_ => app.RefreshAsync(token));

            var why = Describe(app, responses, round);
            StatusesOf(responses).ShouldBe(OneOf(200, losers: 400), why);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                // "Already used", or "revoked" when another loser's reuse detection ended the family before this one looked.
                var body = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
                body.Str("detail").ShouldBeOneOf("The refresh token was already used.", "The refresh token was revoked.");
            }

            // Reuse ends the session, the winner's successor included, and is audited.
            var rows = await app.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == user).ToListAsync());
            rows.Count.ShouldBe(2, why);
            rows.ShouldAllBe(t => t.RevokedAt != null, why);
            (await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserName == user && e.Action == "session.reuse_detected")))
                .ShouldBeGreaterThanOrEqualTo(1, why);
        }
    }

    [Fact]
    public async Task Of_concurrent_registrations_of_one_username_exactly_one_is_201_and_the_rest_409_on_sqlite()
    {
        await using var sqlite = new SqliteService(FolderPrefix, Settings());
        var app = sqlite.App;

        for (var round = 1; round <= 40; round++)
        {
            var name = $"race{round}";
            // Half of them in another case: the unique key is the normalized name.
            var responses = await AtOnceAsync(i =>
                app.RegisterAsync(i % 2 == 0 ? name : name.ToUpperInvariant(), $"{name}.{i}@example.com", Password));

            var why = Describe(app, responses, round);
            StatusesOf(responses).ShouldBe(OneOf(201, losers: 409), why);
            var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ShouldHaveSingleItem(why);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                await ShouldBeConflictAsync(refused);
            }

            var body = await created.ReadJsonAsync();
            var winner = Array.IndexOf(responses, created);
            body.Str("username").ShouldBe(winner % 2 == 0 ? name : name.ToUpperInvariant());
            body.Str("email").ShouldBe($"{name}.{winner}@example.com");
            // One row, the one the 201 named, with its role: a loser left nothing behind.
            var rows = await app.WithDbAsync(db => db.Users.Where(u => u.Email!.StartsWith(name + ".")).Select(u => u.Id).ToListAsync());
            rows.ShouldBe([body.GetProperty("id").GetInt32()], why);
            (await app.WithDbAsync(db => db.UserRoles.CountAsync(ur => ur.UserId == rows[0]))).ShouldBe(1, why);
        }
    }

    [Fact]
    public async Task Of_concurrent_registrations_of_one_email_exactly_one_is_201_and_the_rest_409_on_sqlite()
    {
        await using var sqlite = new SqliteService(FolderPrefix, Settings());
        var app = sqlite.App;

        for (var round = 1; round <= 40; round++)
        {
            var prefix = $"mailrace{round}x";
            var responses = await AtOnceAsync(i =>
                app.RegisterAsync(prefix + i, i % 2 == 0 ? $"mailrace{round}@example.com" : $"MailRace{round}@Example.com", Password));

            var why = Describe(app, responses, round);
            StatusesOf(responses).ShouldBe(OneOf(201, losers: 409), why);
            var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ShouldHaveSingleItem(why);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                await ShouldBeConflictAsync(refused);
            }

            var id = (await created.ReadJsonAsync()).GetProperty("id").GetInt32();
            (await app.WithDbAsync(db => db.Users.Where(u => u.UserName!.StartsWith(prefix)).Select(u => u.Id).ToListAsync())).ShouldBe([id], why);
        }
    }

    [Fact]
    public async Task Concurrent_wrong_passwords_are_all_counted_and_lock_at_exactly_the_configured_count_on_sqlite()
    {
        // The threshold is the number of racers, so the lock comes only if not one concurrent increment is lost.
        await using var sqlite = new SqliteService(FolderPrefix, Settings(("Lockout:MaxFailedAttempts", Racers.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var app = sqlite.App;

        for (var round = 1; round <= 30; round++)
        {
            var almost = $"almost{round}";
            var locked = $"locked{round}";
            (await app.RegisterAsync(almost, $"{almost}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await app.RegisterAsync(locked, $"{locked}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

            // One fewer than the limit against one account and the limit against the other, all at once.
            var responses = await Task.WhenAll(
                Enumerable.Range(0, Racers - 1).Select(i => app.PostTokenAsync(("username", almost), ("password", "guess " + i)))
                    .Concat(Enumerable.Range(0, Racers).Select(i => app.PostTokenAsync(("username", locked), ("password", "guess " + i)))));

            var why = Describe(app, responses, round);
            StatusesOf(responses).ShouldBe(Enumerable.Repeat(401, (2 * Racers) - 1), why);
            foreach (var response in responses)
            {
                // The failure that locks is answered as any wrong password.
                await response.ShouldBeProblemAsync(
                    HttpStatusCode.Unauthorized, detail: "Incorrect username or password", error: "invalid_grant", wwwAuthenticate: "Bearer");
            }

            var almostRow = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == almost));
            almostRow.AccessFailedCount.ShouldBe(Racers - 1, why);
            almostRow.LockoutEnd.ShouldBeNull(why);
            var lockedRow = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == locked));
            lockedRow.LockoutEnd.ShouldNotBeNull(why);
            lockedRow.LockoutEnd.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(10));
            // The count starts again once it locks, as Identity's does.
            lockedRow.AccessFailedCount.ShouldBe(0, why);
            // Every failure audited, and the lock once: exactly one increment reached the limit.
            (await AuditCountAsync(app, almost, "login.failed")).ShouldBe(Racers - 1, why);
            (await AuditCountAsync(app, locked, "login.failed")).ShouldBe(Racers, why);
            (await AuditCountAsync(app, almost, "account.locked")).ShouldBe(0, why);
            (await AuditCountAsync(app, locked, "account.locked")).ShouldBe(1, why);
            (await app.PostTokenAsync(("username", almost), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await app.PostTokenAsync(("username", locked), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Of_concurrent_sign_ins_with_one_recovery_code_exactly_one_is_accepted_on_sqlite()
    {
        // Every loser's code counts as a wrong one towards lockout, Racers - 1 a round at most before a winner's sign-in
        // starts the count again: the highest limit allowed keeps the lockout out of a race about the spend.
        await using var sqlite = new SqliteService(FolderPrefix, Settings(("Lockout:MaxFailedAttempts", "100")));
        var app = sqlite.App;

        // Ten codes per account, spent one a round.
        for (var account = 1; account <= 2; account++)
        {
            var user = $"recovering{account}";
            var codes = await EnrolAsync(app, user);
            for (var spent = 1; spent <= codes.Length; spent++)
            {
                var round = (account - 1) * codes.Length + spent;
                // An mfa_token each (each also single-use): only the recovery code is shared.
                var mfaTokens = await AtOnceAsync(_ => app.PostTokenAsync(("username", user), ("password", Password)));
                StatusesOf(mfaTokens).ShouldBe(AllOf(403), Describe(app, mfaTokens, round));
                var tokens = new List<string>();
                foreach (var response in mfaTokens)
                {
                    tokens.Add((await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, error: "mfa_required")).Str("mfa_token"));
                }

                var responses = await AtOnceAsync(i =>
                    app.PostTokenAsync(("grant_type", RecoveryGrant), ("mfa_token", tokens[i]), ("recovery_code", codes[spent - 1])));

                var why = Describe(app, responses, round);
                StatusesOf(responses).ShouldBe(OneOf(200, losers: 400), why);
                var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ShouldHaveSingleItem(why);
                (await accepted.ReadJsonAsync()).GetProperty("recovery_codes_left").GetInt32().ShouldBe(codes.Length - spent, why);
                foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                {
                    await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: WrongRecoveryCode, error: "invalid_grant");
                }

                (await app.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.User!.UserName == user))).ShouldBe(codes.Length - spent, why);
                (await AuditCountAsync(app, user, "mfa.recovery_code_used")).ShouldBe(spent, why);
                (await AuditCountAsync(app, user, "login.mfa_failed")).ShouldBe(spent * (Racers - 1), why);
            }
        }
    }

    [Fact]
    public async Task Of_concurrent_resets_with_one_mailed_token_exactly_one_sets_the_password_on_sqlite()
    {
        const int rounds = 20;
        await using var smtp = SmtpTestServer.Start();
        var settings = Settings();
        MailSettings.UseSmtp(settings, smtp);
        await using var sqlite = new SqliteService(FolderPrefix, settings);
        var app = sqlite.App;
        // Every mail asked for before the first race: waiting for each round's mail in turn would be most of the test's time.
        var users = Enumerable.Range(1, rounds).Select(round => $"resetter{round}").ToArray();
        foreach (var user in users)
        {
            (await app.RegisterAsync(user, $"{user}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await app.CreateClient().PostAsJsonAsync("/user/password/forgot", new { email = $"{user}@example.com" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        for (var round = 1; round <= rounds; round++)
        {
            var user = users[round - 1];
            var token = MailLinks.TokenIn((await smtp.WaitForSubjectAsync($"{user}@example.com", ResetMail.Subject))[^1]);

            // Each racer sets a password of its own, so the account shows whose reset it took.
            var responses = await AtOnceAsync(i =>
                app.CreateClient().PostAsJsonAsync("/user/password/reset", new { token, new_password = NewPassword(i) }));

            var why = Describe(app, responses, round);
            StatusesOf(responses).ShouldBe(OneOf(204, losers: 400), why);
            var winner = responses.Select((r, i) => (r.StatusCode, i)).Where(r => r.StatusCode == HttpStatusCode.NoContent).ShouldHaveSingleItem(why).i;
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.NoContent))
            {
                await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail: DeadResetToken, error: "invalid_token");
            }

            (await AuditCountAsync(app, user, "password.reset")).ShouldBe(1, why);
            (await app.WithDbAsync(db => db.AccountTokens.CountAsync(t => t.User!.UserName == user && t.Purpose == TokenPurpose.PasswordReset && t.UsedAt == null)))
                .ShouldBe(0, why);
            (await app.PostTokenAsync(("username", user), ("password", NewPassword((winner + 1) % Racers)))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await app.PostTokenAsync(("username", user), ("password", NewPassword(winner)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// Settings for many requests from the one test address and to one account: the rate limits have tests of their
    /// own and would only turn races into 429s here.
    /// </summary>
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RateLimits:TokenPerClientPerMinute"] = "1000000",
            ["RateLimits:TokenPerUserPerMinute"] = "1000000",
            ["RateLimits:RegisterPerClientPerMinute"] = "1000000",
            ["RateLimits:MailPerClientPerMinute"] = "1000000",
            ["RateLimits:MailPerAddressPerHour"] = "1000000",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary><see cref="Racers"/> requests started together; the in-memory server runs each on the thread pool.</summary>
    private static Task<HttpResponseMessage[]> AtOnceAsync(Func<int, Task<HttpResponseMessage>> send) =>
        Task.WhenAll(Enumerable.Range(0, Racers).Select(send));

    /// <summary>The statuses in order, to compare with <see cref="OneOf"/> or <see cref="AllOf"/> whatever order the requests finished in.</summary>
    private static int[] StatusesOf(IEnumerable<HttpResponseMessage> responses) => [.. responses.Select(r => (int)r.StatusCode).Order()];

    /// <summary>A race's answers with one winner: its status once and the losers' for every other racer, in order.</summary>
    private static int[] OneOf(int winner, int losers) => [.. Enumerable.Repeat(losers, Racers - 1).Append(winner).Order()];

    private static int[] AllOf(int status) => [.. Enumerable.Repeat(status, Racers)];

    /// <summary>The round's statuses and the errors the service logged: what a failed count needs to be diagnosed.</summary>
    private static string Describe(UserServicesApp app, IEnumerable<HttpResponseMessage> responses, int round)
    {
        var errors = app.Logs.Where(line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal)).Take(2);
        return $"round {round}: {string.Join(", ", responses.Select(r => (int)r.StatusCode))}; logged: {string.Join(" | ", errors)}";
    }

    private static async Task ShouldBeConflictAsync(HttpResponseMessage response)
    {
        var body = await response.ShouldBeProblemAsync(
            HttpStatusCode.Conflict, type: "https://tools.ietf.org/html/rfc9110#section-15.5.10", title: "Conflict", detail: TakenDetail);
        body.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["detail", "status", "title", "traceId", "type"]);
    }

    private static Task<int> AuditCountAsync(UserServicesApp app, string userName, string action) =>
        app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserName == userName && e.Action == action));

    private static string NewPassword(int racer) => $"a brand new passphrase number {racer}";

    /// <summary>Registers <paramref name="userName"/>, enrols an authenticator on the real clock, and returns the ten recovery codes.</summary>
    private static async Task<string[]> EnrolAsync(UserServicesApp app, string userName)
    {
        var signIn = await app.RegisterAndSignInAsync(userName, Password);
        using var client = app.BearerClient(signIn.AccessToken);
        var codes = (await TwoFactor.EnrolAsync(client, Password, DateTimeOffset.UtcNow)).RecoveryCodes;
        codes.Length.ShouldBe(10);
        return codes;
    }
}
