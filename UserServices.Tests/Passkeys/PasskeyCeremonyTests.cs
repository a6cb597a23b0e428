using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Passkeys;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Passkeys;

/// <summary>
/// A ceremony is taken once, whichever request gets there first, on PostgreSQL and on the embedded SQLite file alike:
/// one <c>DELETE … RETURNING</c> decides. A take of the wrong kind or by another account spends nothing.
/// </summary>
public sealed class PasskeyCeremonyTests(PostgresServer server)
{
    private const int Rounds = 100;

    [Fact]
    public async Task Of_many_takes_at_once_exactly_one_gets_the_ceremony_on_postgres()
    {
        await using var app = UserServicesApp.Start(WithPasskeys(UserServicesApp.Defaults(await server.CreateDatabaseAsync("passkey_ceremony_race"))));
        await ExactlyOneTakeAsync(app);
    }

    [Fact]
    public async Task Of_many_takes_at_once_exactly_one_gets_the_ceremony_on_sqlite()
    {
        await using var sqlite = new SqliteService("userservices-passkeys-", WithPasskeys([]));
        await ExactlyOneTakeAsync(sqlite.App);
    }

    private static async Task ExactlyOneTakeAsync(UserServicesApp app)
    {
        var owner = (await app.RegisterAndSignInAsync("owner", "correct horse battery")).AccessToken;
        var userId = int.Parse(JwtParts.Payload(owner).Str("sub"), System.Globalization.CultureInfo.InvariantCulture);
        var id = await BeginAsync(app, userId);
        (await InScopeAsync(app, c => c.TakeAsync(id, PasskeyCeremonies.Login, null, CancellationToken.None))).ShouldBeNull("a sign-in cannot spend a registration");
        (await InScopeAsync(app, c => c.TakeAsync(id, PasskeyCeremonies.Register, userId + 1, CancellationToken.None))).ShouldBeNull("nor another account");

        // Many rounds: on SQLite, a take whose commit met another's read once failed at random ("database is locked").
        for (var round = 0; round < Rounds; round++)
        {
            var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                Task.Run(() => InScopeAsync(app, c => c.TakeAsync(id, PasskeyCeremonies.Register, userId, CancellationToken.None)))));

            var taken = takes.Where(t => t is not null).ShouldHaveSingleItem($"round {round}")!;
            taken.State.ShouldBe("{\"state\":1}");
            taken.UserId.ShouldBe(userId);
            (await app.WithDbAsync(db => Task.FromResult(db.PasskeyCeremonies.Count()))).ShouldBe(0);
            id = await BeginAsync(app, userId);
        }
    }

    private static Dictionary<string, string?> WithPasskeys(Dictionary<string, string?> settings)
    {
        settings["Passkeys:ServerDomain"] = "localhost";
        return settings;
    }

    private static Task<string> BeginAsync(UserServicesApp app, int userId) =>
        InScopeAsync(app, c => c.BeginAsync(PasskeyCeremonies.Register, userId, "{\"state\":1}", CancellationToken.None));

    private static async Task<T> InScopeAsync<T>(UserServicesApp app, Func<PasskeyCeremonies, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PasskeyCeremonies>());
    }
}
