using System.Globalization;
using System.Text;
using System.Xml;

namespace Feedstand.Feeds.Writers;

/// <summary>What the XML writers share: settings, dates and removal of characters XML cannot carry.</summary>
internal static class XmlText
{
    public static XmlWriterSettings Settings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CheckCharacters = true,
        CloseOutput = false,
    };

    /// <summary>The text without characters that are not allowed in XML 1.0 (controls, lone surrogates).</summary>
    public static string Clean(string text)
    {
        var span = text.AsSpan();
        var first = IndexOfInvalid(span);
        if (first < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        builder.Append(span[..first]);
        for (var i = first; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                builder.Append(c).Append(span[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static int IndexOfInvalid(ReadOnlySpan<char> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (XmlConvert.IsXmlChar(c))
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    public static void Element(XmlWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteElementString(name, Clean(value));
        }
    }

    public static void Element(XmlWriter writer, string prefix, string name, string ns, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteElementString(prefix, name, ns, Clean(value));
        }
    }

    /// <summary>RFC 822 as RSS wants it: <c>Sun, 26 Oct 2025 19:00:00 +0000</c>.</summary>
    public static string Rfc822(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 in UTC: <c>2025-10-26T19:00:00Z</c>.</summary>
    public static string Rfc3339(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The newest date among the feed and its entries, if any.</summary>
    public static DateTimeOffset? Newest(Model.ParsedFeed feed)
    {
        var newest = feed.Updated;
        foreach (var entry in feed.Entries)
        {
            var date = entry.Updated ?? entry.Published;
            if (date > newest || (newest is null && date is not null))
            {
                newest = date;
            }
        }
        return newest;
    }
}
