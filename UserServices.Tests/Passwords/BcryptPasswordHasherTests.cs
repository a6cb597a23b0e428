using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserServices.Api.Passwords;
using UserServices.Data.Users;

namespace UserServices.Tests.Passwords;

/// <summary>
/// The hasher against hashes made by other bcrypt implementations, so "verifies what the Python service wrote" is
/// proven rather than assumed (BCrypt.Net checking its own output proves nothing).
/// </summary>
public sealed class BcryptPasswordHasherTests
{
    // Generated once with Debian's python3-passlib 1.7 (passlib.hash.bcrypt.using(rounds=12, ident="2b")), as the Python service hashed.
    private const string PasslibPassword = "correct horse battery staple";
    private const string Passlib2b12 = "$2b$12$M.Y4xwSnzMxK3hfzwS3ILuDYT6udwHRRdpNR7x0kgMSeN0gT6DE2u";

    // python3-bcrypt 3.2: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(4, prefix=b"2a")) with a non-ASCII password.
    private const string NonAsciiPassword = "pässwörd-日本語-ünïcödé";
    private const string PyBcrypt2aNonAscii = "$2a$04$.z9j2P6mz4YFsIiGz/ELGenXUkJm8UX48MdMxV/NDPn9ZWzhXUnX2";

    // apache2-utils: htpasswd -nbB -C 5 user 'htpasswd secret 2y'.
    private const string HtpasswdPassword = "htpasswd secret 2y";
    private const string Htpasswd2y05 = "$2y$05$NCvlXADL9l03n2MCpKhBvesoRGLQbjUEjv9GnPmA4S0TSgtQylJ2S";

    // python3-bcrypt 3.2, cost 4: exactly 72 bytes, ASCII and two-byte characters.
    private static readonly string Ascii72Bytes = new string('x', 30) + new string('y', 42);
    private const string PyBcrypt2bAscii72 = "$2b$04$pfwEjrfDuI/zoHyWHMenRuHSSUuWRjw6g22CkouILUDg14awFNAA.";
    private static readonly string TwoByte72Bytes = new('é', 36);
    private const string PyBcrypt2bTwoByte72 = "$2b$04$2Syl6nnMieLpW9QYSqXFx.2YIXpjN4Wn/j9kqcHCRX9BOTzHT7Efq";

    // python3-bcrypt 3.2, cost 4.
    private const string CheapPassword = "short pw at cost 4";
    private const string PyBcrypt2b04 = "$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG";

    private static readonly User AnyUser = new() { Id = 1, UserName = "alice" };

    private static BcryptPasswordHasher Hasher(int workFactor) =>
        new(new ManagedBcrypt(), Options.Create(new PasswordHashingOptions { WorkFactor = workFactor }));

    [Fact]
    public void Test_vectors_have_the_lengths_they_claim()
    {
        Encoding.UTF8.GetByteCount(Ascii72Bytes).ShouldBe(72);
        Encoding.UTF8.GetByteCount(TwoByte72Bytes).ShouldBe(72);
        Encoding.UTF8.GetByteCount(NonAsciiPassword).ShouldBeGreaterThan(NonAsciiPassword.Length);
    }

    [Theory]
    [InlineData(12, PasslibPassword, Passlib2b12)]
    [InlineData(4, NonAsciiPassword, PyBcrypt2aNonAscii)]
    [InlineData(5, HtpasswdPassword, Htpasswd2y05)]
    [InlineData(4, CheapPassword, PyBcrypt2b04)]
    public void Hash_from_another_bcrypt_implementation_verifies(int workFactor, string password, string foreignHash)
    {
        Hasher(workFactor).VerifyHashedPassword(AnyUser, foreignHash, password).ShouldBe(PasswordVerificationResult.Success);
    }

    [Fact]
    public void Password_of_exactly_72_ascii_bytes_verifies_against_a_foreign_hash()
    {
        Hasher(4).VerifyHashedPassword(AnyUser, PyBcrypt2bAscii72, Ascii72Bytes).ShouldBe(PasswordVerificationResult.Success);
    }

    [Fact]
    public void Password_of_exactly_72_bytes_in_two_byte_characters_verifies_against_a_foreign_hash()
    {
        Hasher(4).VerifyHashedPassword(AnyUser, PyBcrypt2bTwoByte72, TwoByte72Bytes).ShouldBe(PasswordVerificationResult.Success);
    }

    [Theory]
    [InlineData(PasslibPassword + "!", Passlib2b12)]
    [InlineData("correct horse battery stapl", Passlib2b12)]
    [InlineData("pässwörd-日本語-ünïcöde", PyBcrypt2aNonAscii)]
    [InlineData("Htpasswd secret 2y", Htpasswd2y05)]
    [InlineData("", PyBcrypt2b04)]
    public void Wrong_password_fails(string password, string foreignHash)
    {
        Hasher(4).VerifyHashedPassword(AnyUser, foreignHash, password).ShouldBe(PasswordVerificationResult.Failed);
    }

    [Fact]
    public void Longer_password_whose_first_72_bytes_match_fails_CVE_2025_22228()
    {
        var hasher = Hasher(4);

        hasher.VerifyHashedPassword(AnyUser, PyBcrypt2bAscii72, Ascii72Bytes + "z").ShouldBe(PasswordVerificationResult.Failed);
        hasher.VerifyHashedPassword(AnyUser, PyBcrypt2bTwoByte72, TwoByte72Bytes + "é").ShouldBe(PasswordVerificationResult.Failed);
        hasher.VerifyHashedPassword(AnyUser, PyBcrypt2bAscii72, Ascii72Bytes + new string('z', 100)).ShouldBe(PasswordVerificationResult.Failed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("$2")]
    [InlineData("$2b$")]
    [InlineData("$2b$04$")]
    [InlineData("$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HA")]
    [InlineData("$2b$04$yBjnekELiT39eM0LWZAIx")]
    [InlineData("$2b$99$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("$2b$03$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("$2b$xx$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("$2q$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("$2b$04$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AQAAAAIAAYagAAAAEJ9wRk0c1bq2Jm6u6b6Jb7d4cYl1v9qU8zv5wq0k1dJrFz0m2Q3p4S5t6U7v8W9x0A==")]
    public void Malformed_stored_hash_fails_without_throwing(string storedHash)
    {
        var result = Should.NotThrow(() => Hasher(4).VerifyHashedPassword(AnyUser, storedHash, CheapPassword));

        result.ShouldBe(PasswordVerificationResult.Failed);
    }

    [Theory]
    [InlineData(5, CheapPassword, PyBcrypt2b04)]
    [InlineData(12, HtpasswdPassword, Htpasswd2y05)]
    [InlineData(13, PasslibPassword, Passlib2b12)]
    public void Right_password_with_stored_cost_below_the_configured_one_needs_a_rehash(int workFactor, string password, string storedHash)
    {
        Hasher(workFactor).VerifyHashedPassword(AnyUser, storedHash, password).ShouldBe(PasswordVerificationResult.SuccessRehashNeeded);
    }

    [Fact]
    public void Wrong_password_with_stored_cost_below_the_configured_one_fails_rather_than_asking_for_a_rehash()
    {
        Hasher(5).VerifyHashedPassword(AnyUser, PyBcrypt2b04, "not the password").ShouldBe(PasswordVerificationResult.Failed);
    }

    [Theory]
    [InlineData(4, "$2b$04$")]
    [InlineData(5, "$2b$05$")]
    public void HashPassword_writes_a_2b_hash_at_the_configured_cost_that_verifies(int workFactor, string prefix)
    {
        var hasher = Hasher(workFactor);

        var hash = hasher.HashPassword(AnyUser, NonAsciiPassword);

        hash.ShouldStartWith(prefix);
        hash.Length.ShouldBe(60);
        hasher.VerifyHashedPassword(AnyUser, hash, NonAsciiPassword).ShouldBe(PasswordVerificationResult.Success);
        hasher.HashPassword(AnyUser, NonAsciiPassword).ShouldNotBe(hash, "every hash gets a fresh salt");
    }

    [Fact]
    public void HashPassword_accepts_exactly_72_bytes()
    {
        var hasher = Hasher(4);

        var hash = hasher.HashPassword(AnyUser, TwoByte72Bytes);

        hasher.VerifyHashedPassword(AnyUser, hash, TwoByte72Bytes).ShouldBe(PasswordVerificationResult.Success);
        hasher.VerifyHashedPassword(AnyUser, hash, TwoByte72Bytes[..35] + "e").ShouldBe(PasswordVerificationResult.Failed);
    }

    [Theory]
    [InlineData(73, 'a')]
    [InlineData(37, 'é')]
    public void HashPassword_refuses_more_than_72_bytes(int count, char character)
    {
        var password = new string(character, count);

        var error = Should.Throw<ArgumentException>(() => Hasher(4).HashPassword(AnyUser, password));

        error.ParamName.ShouldBe("password");
        error.Message.ShouldContain("72");
    }
}
