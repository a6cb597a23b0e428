using System.Text.RegularExpressions;
using MimeKit;

namespace UserServices.Tests.Infrastructure;

public static partial class MailLinks
{
    /// <summary>The token of the link in the mail's plain-text part, which must be there once.</summary>
    public static string TokenIn(MimeMessage message)
    {
        var matches = Token().Matches(message.TextBody ?? "");
        matches.Count.ShouldBe(1, message.TextBody);
        return Uri.UnescapeDataString(matches[0].Groups[1].Value);
    }

    [GeneratedRegex(@"https://app\.example\.com/(?:reset|confirm)\?token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex Token();
}
