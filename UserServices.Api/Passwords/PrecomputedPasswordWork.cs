namespace UserServices.Api.Passwords;

/// <summary>
/// bcrypt results computed ahead on the password threads, for the hasher to hand to Identity when Identity asks
/// for them on the request's own flow (<c>CheckPasswordAsync</c>, <c>CreateAsync</c>, <c>ChangePasswordAsync</c>).
/// Identity keeps doing its bookkeeping (lockout counts, rehash, security stamp); the thread pool never runs bcrypt.
/// The values live in the request's async flow only, and each is used once.
/// </summary>
internal static class PrecomputedPasswordWork
{
    private static readonly AsyncLocal<Holder?> Current = new();

    /// <summary>
    /// The box for the current flow. Call it synchronously from the flow that will later ask Identity: a value set
    /// inside an async method does not flow back to its caller, but a box made before the await is shared.
    /// </summary>
    public static Holder Box() => Current.Value ??= new Holder();

    public static bool? VerificationOf(string password, string hash)
    {
        if (Current.Value is not { Verification: var (forPassword, forHash, verified) } holder
            || !string.Equals(forPassword, password, StringComparison.Ordinal) || !string.Equals(forHash, hash, StringComparison.Ordinal))
        {
            return null;
        }

        holder.Verification = null;
        return verified;
    }

    public static string? TakeHash(string password)
    {
        if (Current.Value is not { NewHash: var (forPassword, hash) } holder || !string.Equals(forPassword, password, StringComparison.Ordinal))
        {
            return null;
        }

        holder.NewHash = null;
        return hash;
    }

    /// <summary>A mutable box, so that what an awaited callee sets is seen by its caller and a value taken is gone for both.</summary>
    public sealed class Holder
    {
        public (string Password, string Hash, bool Verified)? Verification { get; set; }

        public (string Password, string Hash)? NewHash { get; set; }
    }
}
