using System.Text;
using UserServices.Api.Passwords;

namespace UserServices.Tests.Passwords;

public sealed class PasswordPolicyTests
{
    private static readonly PasswordPolicy Policy = new();

    private static string[] Codes(string password, string? userName = "alice", string? email = "alice@example.com") =>
        Policy.Check(password, userName, email).Select(e => e.Code).ToArray();

    [Theory]
    [InlineData("violet tractor umbrella sings")]
    [InlineData("Xk7#pQ2m")]
    [InlineData("lanternfishmarmalade")]
    [InlineData("ü7ß€ж9ŋ♞")]
    public void Decent_password_is_accepted(string password)
    {
        Codes(password).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("lanternfishmarmalade")]
    [InlineData("LANTERNFISHMARMALADE")]
    [InlineData("43968157204816")]
    public void No_composition_rules_one_character_class_is_enough(string password)
    {
        Codes(password).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Xk7#pQ2")]
    [InlineData("")]
    [InlineData("ééééééé")]
    [InlineData("🔒🔑🐉🌵🎲🚲🧩")]
    public void Fewer_than_8_characters_is_too_short(string password)
    {
        Policy.Check(password, "alice", "alice@example.com").ShouldHaveSingleItem()
            .Description.ShouldBe("Password must be at least 8 characters.");
    }

    [Fact]
    public void Length_counts_characters_not_utf16_units_or_bytes()
    {
        // 7 emoji are 14 UTF-16 code units and 28 bytes, but 7 characters.
        "🔒🔑🐉🌵🎲🚲🧩".Length.ShouldBe(14);
        Codes("🔒🔑🐉🌵🎲🚲🧩").ShouldBe(["PasswordTooShort"]);
        Codes("🔒🔑🐉🌵🎲🚲🧩🦉").ShouldBeEmpty();
    }

    [Fact]
    public void Exactly_72_bytes_is_accepted()
    {
        var password = "violet tractor umbrella sings " + new string('é', 21);
        Encoding.UTF8.GetByteCount(password).ShouldBe(72);

        Codes(password).ShouldBeEmpty();
    }

    [Fact]
    public void More_than_72_bytes_is_refused_with_a_message_about_bcrypts_limit()
    {
        // 37 characters, 74 bytes: long enough in characters, too long in bytes.
        var password = new string('é', 37);

        var error = Policy.Check(password, "alice", "alice@example.com").ShouldHaveSingleItem();

        error.Code.ShouldBe("PasswordTooLong");
        error.Description.ShouldBe("Password must be at most 72 bytes in UTF-8 (bcrypt's limit); it is 74.");
    }

    [Theory]
    [InlineData("password1")]
    [InlineData("qwertyuiop")]
    [InlineData("123456789")]
    [InlineData("iloveyou123")]
    [InlineData("Password123")]
    [InlineData("aaaaaaaaaaaa")]
    public void Common_or_guessable_password_is_refused(string password)
    {
        var error = Policy.Check(password, "alice", "alice@example.com").ShouldHaveSingleItem();

        error.Code.ShouldBe("PasswordTooCommon");
        error.Description.ShouldBe("Password is too common or too easy to guess; choose a longer or less predictable one.");
    }

    [Theory]
    [InlineData("marmaladefish", "marmaladefish", "someone@example.com")]
    [InlineData("MarmaladeFish", "marmaladefish", "someone@example.com")]
    [InlineData("marmalade.fish@example.com", "someone", "marmalade.fish@example.com")]
    [InlineData("marmalade.fish", "someone", "marmalade.fish@example.com")]
    public void Password_equal_to_the_username_or_email_is_refused(string password, string userName, string email)
    {
        var error = Policy.Check(password, userName, email).ShouldHaveSingleItem();

        error.Code.ShouldBe("PasswordMatchesAccount");
        error.Description.ShouldBe("Password must not be the username or the email address.");
    }

    [Theory]
    [InlineData("violet\0tractor umbrella")]
    [InlineData("violet\ttractor umbrella")]
    [InlineData("violet\ntractor umbrella")]
    [InlineData("violet\u001btractor umbrella")]
    [InlineData("violet\u007ftractor umbrella")]
    [InlineData("violet\u0085tractor umbrella")]
    public void Control_characters_are_refused(string password)
    {
        var error = Policy.Check(password, "alice", "alice@example.com").ShouldHaveSingleItem();

        error.Code.ShouldBe("PasswordHasControlCharacters");
        error.Description.ShouldBe("Password must not contain control characters (such as NUL, tab or newline).");
    }

    [Fact]
    public void Problems_lists_the_descriptions_for_the_admin_seed()
    {
        var admin = new UserServices.Data.Users.User { UserName = "admin", Email = "admin@example.com" };

        Policy.Problems(admin, "short").ShouldBe(["Password must be at least 8 characters."]);
        Policy.Problems(admin, "violet tractor umbrella sings").ShouldBeEmpty();
    }
}
