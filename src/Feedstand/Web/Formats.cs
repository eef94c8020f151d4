using System.Globalization;

namespace Feedstand.Web;

/// <summary>How dates and intervals read on the pages.</summary>
public static class Formats
{
    /// <summary>The page's date: <c>2025-10-26 19:00:00</c>, in UTC.</summary>
    public static string DisplayDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A day, for lists and cards: <c>2025-10-26</c> (UTC).</summary>
    public static string ShortDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable date for <c>&lt;time datetime&gt;</c>: <c>2025-10-26T19:00:00Z</c>.</summary>
    public static string IsoDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rhythm(TimeSpan? interval)
    {
        if (interval is not { } value || value <= TimeSpan.Zero)
        {
            return UiText.T("preview.rhythmUnknown");
        }
        return value.TotalHours < 48
            ? UiText.T("preview.rhythmHours", Math.Max(1, (int)Math.Round(value.TotalHours)))
            : UiText.T("preview.rhythmDays", (int)Math.Round(value.TotalDays));
    }

    /// <summary>The first letter of a title, for a site without an icon.</summary>
    public static string Initial(string title) =>
        title.Length == 0 ? "?" : char.IsSurrogate(title[0]) && title.Length > 1 ? title[..2] : title[..1].ToUpperInvariant();
}
