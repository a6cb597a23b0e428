using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UserServices.Api.Passwords;
using UserServices.Data.Users;

namespace UserServices.Tests.Passwords;

/// <summary>
/// The native (libxcrypt) and managed (BCrypt.Net-Next) backends are interchangeable: the same hash for the same
/// salt on vectors made by other implementations and on thousands of generated ones, the same rules in the hasher,
/// and a fallback to managed when the native one cannot be trusted.
/// </summary>
public sealed class NativeBcryptTests
{
    private static readonly User AnyUser = new() { Id = 1, UserName = "alice" };
    private static readonly NativeBcrypt Native = new();
    private static readonly ManagedBcrypt Managed = new();

    public static TheoryData<string, string> ForeignVectors() => new()
    {
        // passlib 1.7 (the Python service), pyca/bcrypt 3.2 and htpasswd -B, recorded once.
        { "correct horse battery staple", "$2b$12$M.Y4xwSnzMxK3hfzwS3ILuDYT6udwHRRdpNR7x0kgMSeN0gT6DE2u" },
        { "pässwörd-日本語-ünïcödé", "$2a$04$.z9j2P6mz4YFsIiGz/ELGenXUkJm8UX48MdMxV/NDPn9ZWzhXUnX2" },
        { "htpasswd secret 2y", "$2y$05$NCvlXADL9l03n2MCpKhBvesoRGLQbjUEjv9GnPmA4S0TSgtQylJ2S" },
        { new string('x', 30) + new string('y', 42), "$2b$04$pfwEjrfDuI/zoHyWHMenRuHSSUuWRjw6g22CkouILUDg14awFNAA." },
        { new string('é', 36), "$2b$04$2Syl6nnMieLpW9QYSqXFx.2YIXpjN4Wn/j9kqcHCRX9BOTzHT7Efq" },
        { "short pw at cost 4", "$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG" },
        { "old python password 1", "$2b$12$YVLIJAh75g7d8LV7CGQul.ZDtgKxOW0VmdTcQmKfY9Ww2c4TfHXr." },
        { "htpasswd made this", "$2y$10$JL/eFih7E62owQqPKbkQU.t9bbbKeRe.CMq0VNrnJ2KxPHAzHJ1BW" },
        { "spaced user pässword", "$2b$04$YuR422M0Yn5v7heknV/vjO5gU7H7.Rn9OdlTe2Lulg653OCqNTZUu" },
        { "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" },
    };

    [Fact]
    public void Libxcrypt_is_present_and_passes_the_self_test_on_this_machine()
    {
        NativeBcrypt.IsAvailable().ShouldBeTrue("libcrypt.so.1 is part of every glibc Debian; the native backend must be tested, not skipped");
        BcryptSelection.NativeProblem().ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(ForeignVectors))]
    public void Both_backends_reproduce_hashes_made_by_other_implementations(string password, string hash)
    {
        Native.Compute(password, hash).ShouldBe(hash);
        Managed.Compute(password, hash).ShouldBe(hash);
    }

    [Fact]
    public void Both_backends_agree_byte_for_byte_on_thousands_of_generated_passwords_and_salts()
    {
        // A fixed seed: a failure names an input that fails again on the next run.
        var random = new Random(20261125);
        string[] alphabet = [.. "abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~éü日本語\u00ff\u0080".Select(c => c.ToString()), "🔑", "𝄞"];
        string[] prefixes = ["$2a$", "$2b$", "$2y$"];
        for (var i = 0; i < 2000; i++)
        {
            var length = random.Next(0, 80);
            var builder = new StringBuilder();
            while (builder.Length < length)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var password = builder.ToString();
            while (Encoding.UTF8.GetByteCount(password) > BcryptPasswordHasher.MaxPasswordBytes)
            {
                password = password[..^1];
                if (password.Length > 0 && char.IsHighSurrogate(password[^1]))
                {
                    password = password[..^1];
                }
            }

            var salt = Managed.Hash("salt source", 4)[7..29];
            var setting = $"{prefixes[random.Next(prefixes.Length)]}04${salt}";
            var expected = Managed.Compute(password, setting);
            expected.ShouldNotBeNull();
            Native.Compute(password, setting).ShouldBe(expected, $"password {Convert.ToHexString(Encoding.UTF8.GetBytes(password))}, setting {setting}");
        }
    }

    [Fact]
    public void A_hash_made_by_either_backend_verifies_with_the_other()
    {
        var fromNative = Native.Hash("made natively", 5);
        var fromManaged = Managed.Hash("made managed", 5);

        fromNative.ShouldStartWith("$2b$05$");
        fromNative.Length.ShouldBe(60);
        Managed.Compute("made natively", fromNative).ShouldBe(fromNative);
        Native.Compute("made managed", fromManaged).ShouldBe(fromManaged);
        Native.Hash("made natively", 5).ShouldNotBe(fromNative); // a fresh salt each time
    }

    [Theory]
    [InlineData("lone \ud800 high surrogate")]
    [InlineData("lone \udc00 low surrogate")]
    [InlineData("nul \0 inside")]
    public void Strings_C_cannot_take_as_they_are_get_the_reference_answer(string password)
    {
        const string Setting = "$2b$04$yBjnekELiT39eM0LWZAIx.";
        Native.Compute(password, Setting).ShouldBe(Managed.Compute(password, Setting));
    }

    [Theory]
    [InlineData("$2b$04$short")]
    [InlineData("$2b$99$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("$2q$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("$2b$04$!!!!!!!!!!!!!!!!!!!!!!xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG")]
    [InlineData("")]
    public void A_malformed_setting_computes_to_nothing_in_the_native_backend(string setting)
    {
        Native.Compute("any password", setting).ShouldBeNull();
    }

    public static TheoryData<string> Backends() => ["native", "managed"];

    private static BcryptPasswordHasher Hasher(string backend, int workFactor) =>
        new(backend == "native" ? Native : Managed, Options.Create(new PasswordHashingOptions { WorkFactor = workFactor }));

    [Theory]
    [MemberData(nameof(Backends))]
    public void The_hasher_keeps_its_rules_with_either_backend(string backend)
    {
        var hasher = Hasher(backend, 5);
        var exactly72 = new string('a', 72);
        var hash = hasher.HashPassword(AnyUser, exactly72);

        hasher.VerifyHashedPassword(AnyUser, hash, exactly72).ShouldBe(PasswordVerificationResult.Success);
        // 73 bytes share the first 72 with the stored password; bcrypt would ignore the 73rd, the hasher must not.
        hasher.VerifyHashedPassword(AnyUser, hash, exactly72 + "b").ShouldBe(PasswordVerificationResult.Failed);
        Should.Throw<ArgumentException>(() => hasher.HashPassword(AnyUser, exactly72 + "b"));
        hasher.VerifyHashedPassword(AnyUser, "$2b$05$corrupt", exactly72).ShouldBe(PasswordVerificationResult.Failed);
        hasher.VerifyHashedPassword(AnyUser, "not bcrypt at all", exactly72).ShouldBe(PasswordVerificationResult.Failed);
        // Stored at cost 4, configured 5: right password, but the hash is to be upgraded.
        hasher.VerifyHashedPassword(AnyUser, "$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG", "short pw at cost 4")
            .ShouldBe(PasswordVerificationResult.SuccessRehashNeeded);
    }

    [Fact]
    public void Auto_picks_native_here_and_managed_when_native_is_missing_or_wrong()
    {
        var log = new ListLogger();

        BcryptSelection.Choose(BcryptBackend.Auto, log).ShouldBeOfType<NativeBcrypt>();
        BcryptSelection.Choose(BcryptBackend.Managed, log).ShouldBeOfType<ManagedBcrypt>();
        BcryptSelection.Choose(BcryptBackend.Auto, () => null, log).ShouldBeOfType<ManagedBcrypt>();
        BcryptSelection.Choose(BcryptBackend.Auto, () => new OffByOneBcrypt(), log).ShouldBeOfType<ManagedBcrypt>();

        log.Lines.ShouldContain(line => line.StartsWith("Warning bcrypt: managed (BCrypt.Net-Next), because off-by-one gives a different hash", StringComparison.Ordinal));
        log.Lines.ShouldContain("Information bcrypt: native (libxcrypt).");
    }

    [Fact]
    public void Native_asked_for_but_unusable_is_a_configuration_error()
    {
        var error = Should.Throw<OptionsValidationException>(() => BcryptSelection.Choose(BcryptBackend.Native, () => null, NullLogger.Instance));
        error.Message.ShouldContain("Passwords:Backend is native");
    }

    /// <summary>A bcrypt that is wrong in the last character: what the self-test exists to catch.</summary>
    private sealed class OffByOneBcrypt : IBcrypt
    {
        public string Name => "off-by-one";

        public string Hash(string password, int workFactor) => Managed.Hash(password, workFactor);

        public string? Compute(string password, string setting) => Managed.Compute(password, setting) is { } hash ? hash[..^1] + "." : null;
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel} {formatter(state, exception)}");
    }
}
