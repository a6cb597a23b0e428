using System.Globalization;
using System.Text;

namespace UserServices.Api.Users;

/// <summary>
/// Which usernames the service accepts — asked by registration, an admin's rename, <c>admin create</c>, the seeded
/// admin and the legacy import alike. Modelled on RFC 8265's UsernameCaseMapped profile (PRECIS IdentifierClass):
/// letters and digits of any script (<c>Zoë</c>, <c>李雷</c>, <c>Анна</c>) plus the ASCII symbols <c>- . _ @ +</c>;
/// no spaces, controls, invisible format characters or other symbols. A name must already be in its compatibility
/// form (NFKC), so full-width letters, ligatures and superscripts — look-alikes of plain ones — are refused rather
/// than stored beside the plain spelling. Names are compared as Identity stores them: NFC, then case-insensitively.
/// Look-alikes across scripts (Latin <c>a</c>, Cyrillic <c>а</c>) stay distinct names, as in RFC 8265.
/// </summary>
public static class UserNameRule
{
    public const int MaxLength = 256;

    public const string Symbols = "-._@+";

    public const string Summary = "letters and digits of any script and - . _ @ +, with no spaces or other symbols";

    /// <summary>What is wrong with <paramref name="userName"/>, or null when the service accepts it.</summary>
    public static string? Problem(string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return "Username is required.";
        }

        if (userName.Length > MaxLength)
        {
            return $"Username must be at most {MaxLength} characters.";
        }

        var composed = userName.Normalize(NormalizationForm.FormC);
        var first = true;
        foreach (var rune in composed.EnumerateRunes())
        {
            if (!IsAllowed(rune, first))
            {
                return $"Username '{userName}' is invalid: it may contain only {Summary} ({Show(rune)} is not allowed).";
            }

            first = false;
        }

        if (!string.Equals(composed, composed.Normalize(NormalizationForm.FormKC), StringComparison.Ordinal))
        {
            return $"Username must be written without full-width letters, ligatures or other compatibility forms ('{composed.Normalize(NormalizationForm.FormKC)}', not '{userName}').";
        }

        return null;
    }

    private static bool IsAllowed(Rune rune, bool first) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber => true,
        // Combining marks complete the letter before them (Hindi vowel signs, decomposed accents): never first.
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => !first,
        _ => rune.IsAscii && Symbols.Contains((char)rune.Value, StringComparison.Ordinal),
    };

    // A space or an invisible character would print as nothing: name it by its code point.
    private static string Show(Rune rune) =>
        Rune.IsLetterOrDigit(rune) || Rune.IsPunctuation(rune) || Rune.IsSymbol(rune)
            ? $"'{rune}'"
            : rune.Value == ' ' ? "a space" : string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}");
}
