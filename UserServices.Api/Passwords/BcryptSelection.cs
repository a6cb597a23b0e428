using Microsoft.Extensions.Options;

namespace UserServices.Api.Passwords;

/// <summary>
/// Picks the bcrypt implementation once, at start. The native one is used only after it reproduced known hashes
/// made by other implementations (passlib, pyca/bcrypt, htpasswd): a libxcrypt built without bcrypt, or a future
/// one that disagrees, must never get to judge a password.
/// </summary>
public static class BcryptSelection
{
    /// <summary>
    /// Hashes recorded from other implementations, one of each prefix and a non-ASCII password; all at the cheapest
    /// costs, so the self-test adds milliseconds to start-up, not the quarter second of one cost-12 hash.
    /// </summary>
    public static readonly IReadOnlyList<(string Password, string Hash)> KnownVectors =
    [
        ("short pw at cost 4", "$2b$04$yBjnekELiT39eM0LWZAIx.xAqE/qICnMNl2pk8eE0HAtR5uAVxyOG"),        // pyca/bcrypt
        ("htpasswd secret 2y", "$2y$05$NCvlXADL9l03n2MCpKhBvesoRGLQbjUEjv9GnPmA4S0TSgtQylJ2S"),        // htpasswd -B
        ("spaced user pässword", "$2b$04$YuR422M0Yn5v7heknV/vjO5gU7H7.Rn9OdlTe2Lulg653OCqNTZUu"),    // pyca/bcrypt, UTF-8
        ("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),                      // OpenBSD's $2a$ vector
    ];

    public static IBcrypt Choose(BcryptBackend wanted, ILogger logger) => Choose(wanted, LoadNative, logger);

    /// <param name="loadNative">The native implementation, or null when it cannot be loaded here.</param>
    public static IBcrypt Choose(BcryptBackend wanted, Func<IBcrypt?> loadNative, ILogger logger)
    {
        var managed = new ManagedBcrypt();
        if (wanted == BcryptBackend.Managed)
        {
            logger.LogInformation("bcrypt: {Backend}, as configured.", managed.Name);
            return managed;
        }

        var native = loadNative();
        var problem = native is null ? "libcrypt.so.1 (libxcrypt) with crypt_rn is not installed." : SelfTestProblem(native);
        if (problem is null)
        {
            logger.LogInformation("bcrypt: {Backend}.", native!.Name);
            return native;
        }

        if (wanted == BcryptBackend.Native)
        {
            throw new OptionsValidationException("Passwords", typeof(PasswordHashingOptions), [$"Passwords:Backend is native, but {problem}"]);
        }

        logger.LogWarning("bcrypt: {Backend}, because {Problem}", managed.Name, problem);
        return managed;
    }

    /// <summary>Null when the native implementation is there and agrees with every known vector; else why not.</summary>
    public static string? NativeProblem() => LoadNative() is { } native ? SelfTestProblem(native) : "libcrypt.so.1 is not installed.";

    /// <summary>Null when <paramref name="candidate"/> reproduces every known vector; else which one it got wrong.</summary>
    public static string? SelfTestProblem(IBcrypt candidate) => KnownVectors
        .Where(vector => candidate.Compute(vector.Password, vector.Hash) != vector.Hash)
        .Select(vector => $"{candidate.Name} gives a different hash than the known vector {vector.Hash[..7]}….")
        .FirstOrDefault();

    private static NativeBcrypt? LoadNative() => NativeBcrypt.IsAvailable() ? new NativeBcrypt() : null;
}
