namespace UserServices.Api.Clients;

/// <summary>RFC 6749 §3.3 scope strings: space-separated tokens, order without meaning.</summary>
public static class Scopes
{
    public static bool IsValidToken(string scope) =>
        scope.Length > 0 && scope.All(c => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'));

    public static IReadOnlyList<string> Parse(string? scope) =>
        string.IsNullOrEmpty(scope) ? [] : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The requested scopes that <paramref name="allowed"/> contains, in the allowed order; null when none.</summary>
    public static string? Narrow(IEnumerable<string> allowed, string? requested)
    {
        var wanted = Parse(requested);
        var granted = allowed.Where(wanted.Contains).ToArray();
        return granted.Length == 0 ? null : string.Join(' ', granted);
    }
}
