using System.Globalization;

namespace UserServices.Api.Admin;

/// <summary>The query parameters of the admin listings, read by hand so a bad one is a 400 that names it.</summary>
public static class PagingQuery
{
    public const string InvalidDetail = "The query has invalid parameters; see 'errors'.";
    public const string BadCursor = "cursor is not one this service handed out; pass next_cursor back unchanged.";

    public static void ReadLimit(string? text, Dictionary<string, string[]> errors, out int limit)
    {
        limit = UserDirectory.DefaultLimit;
        if (text is not null && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= UserDirectory.MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {UserDirectory.MaxLimit}."];
        }
    }

    public static void ReadCursor(string? text, Dictionary<string, string[]> errors, out long? lastId)
    {
        lastId = null;
        if (text is null)
        {
            return;
        }

        if (PageCursor.TryDecode(text, out var id))
        {
            lastId = id;
        }
        else
        {
            errors["cursor"] = [BadCursor];
        }
    }

    public static DateTime? ReadTime(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.UtcDateTime;
        }

        errors[name] = [$"{name} must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z."];
        return null;
    }
}
