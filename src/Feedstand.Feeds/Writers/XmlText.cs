using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Writers;

/// <summary>What the XML writers share: settings, dates and removal of characters XML cannot carry.</summary>
internal static partial class XmlText
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

    /// <summary>RFC 3339 in UTC: <c>2025-10-26T19:00:00Z</c>, with milliseconds only when there are some.</summary>
    public static string Rfc3339(DateTimeOffset date) =>
        date.UtcDateTime.ToString(date.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

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

    /// <summary>
    /// When the feed last changed: the newest of the caller's date, the feed's and its entries';
    /// the writing time when none is known (never 1970).
    /// </summary>
    public static DateTimeOffset FeedUpdated(ParsedFeed feed, FeedWriteOptions options)
    {
        var newest = Newest(feed);
        if (options.Updated is { } seen && (newest is null || seen > newest))
        {
            newest = seen;
        }
        return Seconds(newest ?? TimeProvider.System.GetUtcNow());
    }

    /// <summary>The date without its fraction of a second, as the writers print dates.</summary>
    public static DateTimeOffset Seconds(DateTimeOffset date) =>
        new(date.UtcTicks - (date.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>
    /// The entry's Atom <c>updated</c>: its own date (else the feed's), moved by whole milliseconds
    /// when an earlier entry of the document already has that instant, so no two are the same.
    /// </summary>
    public static DateTimeOffset UniqueUpdated(DateTimeOffset date, HashSet<DateTimeOffset> taken)
    {
        var candidate = Seconds(date);
        while (!taken.Add(candidate))
        {
            candidate = candidate.AddMilliseconds(1);
        }
        return candidate;
    }

    /// <summary>
    /// True when plain text would read as markup to a validator (and to careless readers): an
    /// '&lt;' before a letter, '/', '!' or '?', or an '&amp;' before a letter, digit, '_' or '#'.
    /// </summary>
    public static bool LooksLikeMarkup(string text)
    {
        var span = text.AsSpan();
        for (var i = span.IndexOfAny('<', '&'); i >= 0 && i + 1 < span.Length; i = NextMarkup(span, i + 1))
        {
            var next = span[i + 1];
            if (span[i] == '<' ? char.IsAsciiLetter(next) || next is '/' or '!' or '?' : char.IsLetterOrDigit(next) || next is '#' or '_')
            {
                return true;
            }
        }
        return false;
    }

    private static int NextMarkup(ReadOnlySpan<char> span, int from)
    {
        var next = span[from..].IndexOfAny('<', '&');
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Plain text as HTML: '&amp;', '&lt;' and '&gt;' escaped.</summary>
    public static string HtmlEscape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The feed's title, else the host of its link, else "Untitled feed"; never blank.</summary>
    public static string FeedTitle(ParsedFeed feed)
    {
        if (!string.IsNullOrWhiteSpace(feed.Title))
        {
            return feed.Title.Trim();
        }
        foreach (var url in (ReadOnlySpan<string?>)[feed.Link, feed.Self])
        {
            if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0)
            {
                return uri.Host;
            }
        }
        return "Untitled feed";
    }

    /// <summary>
    /// A title for an entry that has none (Atom requires one): the start of its text, else its
    /// link, else "Untitled".
    /// </summary>
    public static string EntryTitle(ParsedEntry entry)
    {
        if (!string.IsNullOrWhiteSpace(entry.Title))
        {
            return entry.Title.Trim();
        }
        if (PlainText.FromHtml(entry.SummaryHtml ?? entry.ContentHtml) is { Length: > 0 } text)
        {
            if (text.Length <= 80)
            {
                return text;
            }
            var cut = text.LastIndexOf(' ', 79);
            return string.Concat(text.AsSpan(0, cut > 40 ? cut : 79), "\u2026");
        }
        return string.IsNullOrWhiteSpace(entry.Link) ? "Untitled" : entry.Link.Trim();
    }

    [GeneratedRegex(@"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")]
    private static partial Regex LanguageTag();

    /// <summary>The language as a BCP 47 tag a validator accepts ("en", "zh-Hans", "pt_BR" made "pt-BR"), else null.</summary>
    public static string? Language(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }
        var tag = language.Trim().Replace('_', '-');
        return LanguageTag().IsMatch(tag) ? tag : null;
    }

    [GeneratedRegex("""^[^\s()<>,;:\\"/\[\]?=]+/[^\s()<>,;:\\"/\[\]?=]+(\s*;\s*[^\s()<>,;:\\"/\[\]?=]+=("(\\"|[^"])*"|[^\s()<>,;:\\"/\[\]?=]+))*$""")]
    private static partial Regex MimeType();

    /// <summary>The media type when it is well formed ("audio/mpeg"), else null.</summary>
    public static string? Mime(string? type) =>
        type is not null && MimeType().IsMatch(type.Trim()) ? type.Trim() : null;

    [GeneratedRegex(@"^[A-Z0-9_\-\+\.\']+@(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9\-]+\.)+))([A-Z0-9][-A-Z0-9]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Email();

    /// <summary>The e-mail address when it is a plain addr-spec, else null.</summary>
    public static string? EmailAddress(string? email) =>
        email is not null && Email().IsMatch(email.Trim()) ? email.Trim() : null;
}
