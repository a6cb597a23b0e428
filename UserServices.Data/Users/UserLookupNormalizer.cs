using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace UserServices.Data.Users;

/// <summary>
/// The keys usernames and email addresses are compared and indexed by. A username as Identity does it (NFC, upper
/// case). An email address so that two spellings of one mailbox get one key: the local part as Identity does it,
/// the domain mapped by UTS #46 (<see cref="IdnMapping"/> over ICU: fullwidth letters folded, soft hyphens and
/// zero-width characters dropped, case folded) to its ASCII form. An address whose domain UTS #46 refuses keeps
/// Identity's key; registration refuses such addresses anyway.
/// </summary>
public sealed class UserLookupNormalizer : ILookupNormalizer
{
    private static readonly IdnMapping Idn = new();

    public string? NormalizeName(string? name) => name?.Normalize().ToUpperInvariant();

    public string? NormalizeEmail(string? email)
    {
        if (email is null)
        {
            return null;
        }

        var at = email.LastIndexOf('@');
        if (at <= 0 || MappedDomain(email[(at + 1)..]) is not { } domain)
        {
            return email.Normalize().ToUpperInvariant();
        }

        return email[..at].Normalize().ToUpperInvariant() + "@" + domain.ToUpperInvariant();
    }

    /// <summary>The domain's UTS #46 ASCII form, or null when it has none (empty labels, disallowed characters).</summary>
    public static string? MappedDomain(string domain)
    {
        try
        {
            return domain.Length == 0 ? null : Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether UTS #46 mapping is available: without ICU (.NET's invariant globalization mode) IdnMapping only
    /// punycodes, and look-alike domains would get keys of their own.
    /// </summary>
    public static bool MapsLookAlikeDomains() => MappedDomain("\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com") == "example.com";
}
