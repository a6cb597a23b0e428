using System.Net;
using System.Net.Http.Json;
using UserServices.Api.Users;
using UserServices.Tests.Admin;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Users;

/// <summary>
/// One username rule (UserNameRule, after RFC 8265's UsernameCaseMapped profile), applied alike by registration and
/// by an admin's rename; the legacy import and the seeded admin ask the same rule (Admin/LegacyImportTests,
/// Database/AdminSeedingTests).
/// </summary>
public sealed class UserNameRuleTests(UserNameRuleTests.Fixture fixture) : IClassFixture<UserNameRuleTests.Fixture>
{
    private const string Password = "violet tractor umbrella sings";

    public sealed class Fixture(PostgresServer server) : AdminFixture<UserNameRuleTests>(server);

    private UserServicesApp App => fixture.App;

    [Theory]
    [InlineData("Zoë")]
    [InlineData("李雷")]
    [InlineData("Анна")]
    [InlineData("नमस्ते")]        // Devanagari with combining vowel signs
    [InlineData("a.b-c_d@e+f")]
    [InlineData("user42")]
    public void Letters_and_digits_of_any_script_and_the_five_symbols_are_accepted(string userName) =>
        UserNameRule.Problem(userName).ShouldBeNull();

    [Theory]
    [InlineData("frank smith", "a space is not allowed")]
    [InlineData("bad!", "'!' is not allowed")]
    [InlineData("zero\u200Bwidth", "U+200B is not allowed")]         // invisible: a look-alike of "zerowidth"
    [InlineData("tab\tname", "U+0009 is not allowed")]
    [InlineData("\u0301accent", "U+0301 is not allowed")]            // a combining mark with nothing to combine with
    [InlineData("ｚｏｅ", "compatibility forms ('zoe', not 'ｚｏｅ')")] // full-width: a look-alike of "zoe"
    [InlineData("ﬁle", "compatibility forms ('file', not 'ﬁle')")]   // a ligature
    public void Spaces_symbols_invisible_characters_and_compatibility_forms_are_refused_saying_which(string userName, string reason) =>
        UserNameRule.Problem(userName).ShouldNotBeNull().ShouldContain(reason, Case.Sensitive);

    [Theory]
    [InlineData("Zoë", "zoe@example.com")]
    [InlineData("李雷", "lilei@example.com")]
    public async Task Registration_accepts_names_in_any_script_and_they_sign_in(string userName, string email)
    {
        var response = await App.RegisterAsync(userName, email, Password);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await response.ReadJsonAsync()).Str("username").ShouldBe(userName);
        await App.TokenAsync(userName, Password);
    }

    [Fact]
    public async Task Registration_refuses_a_full_width_look_alike_with_a_message_naming_the_plain_spelling()
    {
        var response = await App.RegisterAsync("ｍａｌｌｏｒｙ", "mallory@example.com", Password);

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, title: "One or more validation errors occurred.");
        body.GetProperty("errors").GetProperty("username").EnumerateArray().Select(e => e.GetString()).ShouldBe(
            ["Username must be written without full-width letters, ligatures or other compatibility forms ('mallory', not 'ｍａｌｌｏｒｙ')."]);
    }

    [Fact]
    public async Task The_same_name_composed_or_decomposed_is_one_account()
    {
        (await App.RegisterAsync("Chloé", "chloe@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

        // "e" followed by U+0301 (combining acute) is the same name as the precomposed "é".
        var decomposed = await App.RegisterAsync("Chloe\u0301", "chloe2@example.com", Password);

        decomposed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_admin_rename_follows_the_same_rule()
    {
        var id = await fixture.RegisterAsync("renamed");
        var admin = await fixture.ClientOfAsync();

        var refused = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { username = "re named" });
        var accepted = await admin.PatchAsJsonAsync($"/admin/users/{id}", new { username = "Renée" });

        var body = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        body.GetProperty("errors").GetProperty("username").EnumerateArray().Select(e => e.GetString()).ShouldBe(
            ["Username 're named' is invalid: it may contain only letters and digits of any script and - . _ @ +, with no spaces or other symbols (a space is not allowed)."]);
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        (await accepted.ReadJsonAsync()).Str("username").ShouldBe("Renée");
    }
}
