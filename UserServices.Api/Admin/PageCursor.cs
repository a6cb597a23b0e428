using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace UserServices.Api.Admin;

/// <summary>
/// The opaque cursor of a keyset page: the last id of the page, base64url-encoded. Opaque so clients pass it back
/// rather than compute one, which leaves room to change what it holds.
/// </summary>
public static class PageCursor
{
    public static string Encode(long lastId) => Base64UrlEncoder.Encode(Encoding.ASCII.GetBytes(lastId.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out long lastId)
    {
        lastId = 0;
        if (cursor.Length is 0 or > 32)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64UrlEncoder.DecodeBytes(cursor));
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out lastId) && lastId > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
