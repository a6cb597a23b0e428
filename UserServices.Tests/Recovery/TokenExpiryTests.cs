using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Recovery;

/// <summary>Mailed tokens expire: a reset link after Mail:PasswordResetMinutes (30), a confirmation after Mail:EmailConfirmationHours (48). A fake clock moves time.</summary>
public sealed class TokenExpiryTests(TokenExpiryTests.Fixture fixture) : IClassFixture<TokenExpiryTests.Fixture>
{
    private const string Password = "correct horse battery";

    public sealed class Fixture(PostgresServer server) : MailServiceFixture<TokenExpiryTests>(server)
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override UserServicesApp Start(IReadOnlyDictionary<string, string?> settings) =>
            UserServicesApp.Start(settings, testServices: services => services.AddSingleton<TimeProvider>(Clock));
    }

    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task A_reset_token_works_until_its_30_minutes_are_up()
    {
        var token = await ResetTokenAsync("punctual");
        fixture.Clock.Advance(TimeSpan.FromMinutes(29));

        (await ResetAsync(token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_reset_token_is_invalid_after_30_minutes()
    {
        var token = await ResetTokenAsync("late");
        fixture.Clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));

        await (await ResetAsync(token)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
        (await App.PostTokenAsync(("username", "late"), ("password", Password))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_confirmation_token_is_invalid_after_48_hours()
    {
        (await App.RegisterAsync("slow", "slow@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = MailLinks.TokenIn((await fixture.Smtp.WaitForAsync("slow@example.com")).Single());
        fixture.Clock.Advance(TimeSpan.FromHours(48) + TimeSpan.FromMinutes(1));

        await (await App.CreateClient().PostAsJsonAsync("/user/email/confirm", new { token })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error: "invalid_token");
    }

    private async Task<string> ResetTokenAsync(string username)
    {
        (await App.RegisterAsync(username, $"{username}@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        return await ResetMail.RequestTokenAsync(App.CreateClient(), fixture.Smtp, $"{username}@example.com");
    }

    private Task<HttpResponseMessage> ResetAsync(string token) =>
        App.CreateClient().PostAsJsonAsync("/user/password/reset", new { token, new_password = "a brand new passphrase" });
}
