namespace UserServices.Api.Passwords;

/// <summary>
/// One bcrypt implementation. Both give byte-identical hashes for the same salt; they differ only in speed.
/// Callers have already refused passwords over 72 UTF-8 bytes.
/// </summary>
public interface IBcrypt
{
    /// <summary>What the start-up log and the benchmark call it.</summary>
    string Name { get; }

    /// <summary>A new <c>$2b$</c> hash at <paramref name="workFactor"/>, with a fresh random salt.</summary>
    string Hash(string password, int workFactor);

    /// <summary>The hash <paramref name="setting"/> (a full hash or just its salt) gives for the password; null when it is malformed.</summary>
    string? Compute(string password, string setting);
}
