using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Sessions;

/// <summary>Refresh with the grace off (<c>RefreshTokens:ReuseIntervalSeconds=0</c>): every second use is reuse, however close.</summary>
public sealed class StrictRefreshTests(StrictRefreshTests.Fixture fixture) : IClassFixture<StrictRefreshTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<StrictRefreshTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) =>
            settings["RefreshTokens:ReuseIntervalSeconds"] = "0";
    }

    private const string Password = "correct horse battery";
    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Of_concurrent_uses_of_one_token_exactly_one_wins_and_the_others_are_reuse_round_after_round()
    {
        for (var round = 1; round <= 5; round++)
        {
            var user = $"strict-racer-{round}";
            var token = (await App.RegisterAndSignInAsync(user, Password)).RefreshToken;

            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => App.RefreshAsync(token)));

            responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1, $"round {round}");
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                // "Already used", or "revoked" when another loser's reuse detection ended the family before this one looked.
                var body = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_grant");
                body.Str("detail").ShouldBeOneOf("The refresh token was already used.", "The refresh token was revoked.");
            }

            // Reuse ends the session, the winner's successor included, and is audited.
            var rows = await App.WithDbAsync(db => db.RefreshTokens.Where(t => t.User!.UserName == user).ToListAsync());
            rows.Count.ShouldBe(2);
            rows.ShouldAllBe(t => t.RevokedAt != null);
            (await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserName == user && e.Action == "session.reuse_detected")))
                .ShouldBeGreaterThanOrEqualTo(1);
        }
    }
}
