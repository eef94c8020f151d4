using System.Globalization;

namespace Feedstand.Feeds.Dates;

// Placeholder until the dates branch lands.
public static class DateParser
{
    public static DateTimeOffset? Parse(ReadOnlySpan<char> text) => TryParse(text, out var utc) ? utc : null;

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset utc)
    {
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            utc = value.ToUniversalTime();
            return true;
        }
        utc = default;
        return false;
    }
}
