using System.Net;
using Microsoft.EntityFrameworkCore;
using UserServices.Data.Users;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Users;

/// <summary>Two spellings of one mailbox cannot both hold an account (UTS #46 on the domain).</summary>
public sealed class EmailLookAlikeTests(EmailLookAlikeTests.Fixture fixture) : IClassFixture<EmailLookAlikeTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<EmailLookAlikeTests>(server)
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            (await App.RegisterAsync("alice", "alice@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    private const string Password = "violet tractor umbrella sings";
    private UserServicesApp App => fixture.App;

    [Theory]
    [InlineData("alice@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com")]
    [InlineData("alice@exam\u00ADple.com")]
    [InlineData("alice@exam\u200Bple.com")]
    [InlineData("ALICE@EXAMPLE.COM")]
    [InlineData("alice@EXAMPLE.com")]
    public async Task A_look_alike_of_a_registered_address_is_409_and_adds_no_row(string email)
    {
        var before = await App.WithDbAsync(db => db.Users.CountAsync());

        var response = await App.RegisterAsync("second-alice", email, Password);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, detail: "That username or email is already registered.");
        (await App.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(before);
        (await App.WithDbAsync(db => db.MailOutbox.CountAsync(m => m.Recipient == email))).ShouldBe(0);
    }

    [Theory]
    [InlineData("al\u00ADice@example.org")]
    [InlineData("al\u200Bice@example.org")]
    [InlineData("al\uFEFFice@example.org")]
    public async Task An_invisible_character_in_the_local_part_is_400_naming_email(string email)
    {
        var response = await App.RegisterAsync("invisible", email, Password);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").PropertyNames().ShouldBe(["email"]);
        (await App.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "invisible"))).ShouldBeFalse();
    }

    [Theory]
    [InlineData("alice@example.com", "ALICE@EXAMPLE.COM")]
    [InlineData("alice@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com", "ALICE@EXAMPLE.COM")]
    [InlineData("alice@exam\u00ADple.com", "ALICE@EXAMPLE.COM")]
    [InlineData("alice@exam\u200Bple.com", "ALICE@EXAMPLE.COM")]
    [InlineData("carol@B\u00FCcher.de", "CAROL@XN--BCHER-KVA.DE")]
    public void The_key_maps_the_domain_by_uts46(string email, string key) =>
        new UserLookupNormalizer().NormalizeEmail(email).ShouldBe(key);
}
