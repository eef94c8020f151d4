using Feedstand.Feeds.Dates;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.People;
using Feedstand.Feeds.Sanitizing;
using Feedstand.Feeds.Urls;

namespace Feedstand.Feeds;

/// <summary>The kinds of text a feed element can hold (Atom text constructs, RSS conventions).</summary>
internal enum TextKind
{
    Text,
    Html,
    Xhtml,
}

/// <summary>Entry HTML as found, with the xml:base in scope where it was found (if one was declared).</summary>
internal readonly record struct RawHtml(string Html, Uri? ExplicitBase);

/// <summary>
/// Which source full content came from, lowest first: when an RSS item has several, readers show
/// content:encoded (or Atom content), then &lt;body&gt;/xhtml:body, then &lt;fullitem&gt;.
/// </summary>
internal enum ContentRank
{
    None,
    FullItem,
    Body,
    Full,
}

/// <summary>An entry while its elements are read; normalized once its end is reached.</summary>
internal sealed class EntryDraft
{
    public ParsedEntry Entry { get; } = new();
    public RawHtml? Summary { get; set; }
    public RawHtml? Content { get; set; }

    /// <summary>media:description, itunes:summary, dc:description: a summary when there is none.</summary>
    public RawHtml? FallbackSummary { get; set; }

    /// <summary>An RSS guid that is a permalink: the link when the item has none.</summary>
    public string? PermalinkGuid { get; set; }

    /// <summary>feedburner:origLink: the original post behind a FeedBurner redirect.</summary>
    public string? OriginalLink { get; set; }

    private ContentRank _contentRank;

    /// <summary>Sets the full content unless a better source (see <see cref="ContentRank"/>) already did.</summary>
    public void SetContent(RawHtml content, ContentRank rank)
    {
        if (rank > _contentRank)
        {
            Content = content;
            _contentRank = rank;
        }
    }

    private bool _hasStandardPublished;
    private bool _hasStandardUpdated;

    /// <summary>
    /// Sets the published date. The format's own element (RSS pubDate, Atom published) wins over
    /// extensions (dc:date, dcterms:issued) whatever their order; among equals the first wins.
    /// </summary>
    public void SetPublished(DateTimeOffset? date, bool standard)
    {
        if (date is null || (standard ? _hasStandardPublished : Entry.Published is not null))
        {
            return;
        }
        Entry.Published = date;
        _hasStandardPublished |= standard;
    }

    /// <summary>Sets the updated date; the format's own element (Atom updated) wins over extensions.</summary>
    public void SetUpdated(DateTimeOffset? date, bool standard)
    {
        if (date is null || (standard ? _hasStandardUpdated : Entry.Updated is not null))
        {
            return;
        }
        Entry.Updated = date;
        _hasStandardUpdated |= standard;
    }

    public string? DcTitle { get; set; }
    public string? MediaTitle { get; set; }
}

/// <summary>
/// Normalizes what the format parsers read into the contract's model: plain-text titles,
/// UTC dates, absolute URLs, sanitized HTML. One per parse; collects the errors.
/// </summary>
internal sealed class FeedBuilder(ParsedFeed feed, FeedParseOptions options, Uri? documentBase)
{
    private const int MaxErrorsPerKind = 10;
    private int _dateErrors;

    public ParsedFeed Feed { get; } = feed;

    private bool _hasStandardUpdated;

    /// <summary>Sets the feed's updated date; the format's own element wins over extensions (dc:date).</summary>
    public void SetFeedUpdated(DateTimeOffset? date, bool standard)
    {
        if (date is null || (standard ? _hasStandardUpdated : Feed.Updated is not null))
        {
            return;
        }
        Feed.Updated = date;
        _hasStandardUpdated |= standard;
    }
    public Uri? DocumentBase { get; } = documentBase;

    public void AddError(string message)
    {
        if (Feed.Errors.Count < 100 && !Feed.Errors.Contains(message))
        {
            Feed.Errors.Add(message);
        }
    }

    public DateTimeOffset? Date(string? text, string element)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateParser.TryParse(text, out var utc))
        {
            return utc;
        }
        if (++_dateErrors <= MaxErrorsPerKind)
        {
            AddError($"Unparseable date in <{element}>: \"{Shorten(text.Trim())}\".");
        }
        return null;
    }

    /// <summary>A URL field: absolute http/https, or null (never javascript:, data: or a relative reference).</summary>
    public static string? Url(Uri? baseUri, string? raw) => UrlResolver.ResolveWebUrl(baseUri, raw);

    /// <summary>A person's URL: absolute http/https or mailto:, or null.</summary>
    public static string? PersonUrl(Uri? baseUri, string? raw) => UrlResolver.ResolvePersonUrl(baseUri, raw);

    /// <summary>The trimmed value, or null when it is null or blank (absent means null, never "").</summary>
    public static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>A language tag as given, with the underscore some feeds write (en_US) made a hyphen (en-US).</summary>
    public static string? Language(string? value)
    {
        var clean = Clean(value);
        return clean is not null && clean.Contains('_', StringComparison.Ordinal) ? clean.Replace('_', '-') : clean;
    }

    /// <summary>Plain text from a title-like element of the given kind.</summary>
    public static string? PlainTitle(string? raw, TextKind kind) => kind switch
    {
        TextKind.Text => PlainText.Collapse(raw),
        _ => PlainText.FromHtml(raw),
    };

    /// <summary>
    /// Plain text from a JSON Feed text field. The format says plain text, but publishers that
    /// build it from their HTML titles leave character references in (<c>&amp;#8216;Jokes&amp;#8217;</c>);
    /// those are decoded, as readers show them. Angle brackets stay text (<c>Vec&lt;T&gt;</c>).
    /// </summary>
    public static string? JsonText(string? raw) =>
        raw is not null && HasCharacterReference(raw) ? PlainText.Collapse(System.Net.WebUtility.HtmlDecode(raw)) : PlainText.Collapse(raw);

    private static bool HasCharacterReference(string text)
    {
        var span = text.AsSpan();
        for (var at = span.IndexOf('&'); at >= 0 && at < span.Length - 2; )
        {
            var semicolon = span[at..].IndexOf(';');
            if ((span[at + 1] == '#' || char.IsAsciiLetter(span[at + 1])) && semicolon is > 2 and < 12
                && System.Net.WebUtility.HtmlDecode(span.Slice(at, semicolon + 1).ToString()) is { Length: <= 2 })
            {
                return true;
            }
            var rest = span[(at + 1)..].IndexOf('&');
            at = rest < 0 ? -1 : at + 1 + rest;
        }
        return false;
    }

    /// <summary>
    /// Plain text from an RSS title, which is nominally text but often holds escaped markup
    /// or double-escaped entities; markup is removed only when it is really there.
    /// </summary>
    public static string? RssTitle(string? raw) =>
        raw is not null && LooksLikeMarkup(raw) ? PlainText.FromHtml(raw) : PlainText.Collapse(raw);

    /// <summary>
    /// RSS description text whose HTML was escaped twice (it holds no tag, and starts with an
    /// escaped one: <c>&amp;lt;p&amp;gt;...</c>) decoded once, so it shows as feed readers show it.
    /// </summary>
    public static string DecodeDoubleEscaped(string html)
    {
        var span = html.AsSpan().TrimStart();
        if (span.Length > 5 && span.StartsWith("&lt;", StringComparison.Ordinal) && (char.IsAsciiLetter(span[4]) || span[4] == '/')
            && html.AsSpan().IndexOf('<') < 0)
        {
            return System.Net.WebUtility.HtmlDecode(html);
        }
        return html;
    }

    /// <summary>HTML from a text construct: plain text is escaped into HTML.</summary>
    public static string HtmlOf(string raw, TextKind kind) => kind == TextKind.Text ? PlainText.ToHtml(raw) : raw;

    public static Person? Person(string? raw) => PersonParser.Parse(raw);

    public static void AddPerson(List<Person> people, Person? person)
    {
        if (person is null)
        {
            return;
        }
        foreach (var existing in people)
        {
            if (existing == person || (existing.Name == person.Name && (person.Email is null || existing.Email == person.Email)))
            {
                return;
            }
        }
        people.Add(person);
    }

    public static void AddCategory(List<Category> categories, string? term, string? scheme = null, string? label = null)
    {
        var clean = PlainText.Collapse(term);
        if (clean is null)
        {
            return;
        }
        foreach (var existing in categories)
        {
            if (existing.Term == clean && existing.Scheme == scheme)
            {
                return;
            }
        }
        categories.Add(new Category(clean, scheme, PlainText.Collapse(label)));
    }

    public static void AddEnclosure(ParsedEntry entry, string? url, string? type, string? length)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }
        long? size = long.TryParse(length?.Trim(), out var parsed) && parsed > 0 ? parsed : null;
        var cleanType = string.IsNullOrWhiteSpace(type) ? null : type.Trim();
        for (var i = 0; i < entry.Enclosures.Count; i++)
        {
            var existing = entry.Enclosures[i];
            if (existing.Url == url)
            {
                // The same file from two places (enclosure and media:content): keep what each knows.
                entry.Enclosures[i] = new Enclosure(url, existing.Type ?? cleanType, existing.Length ?? size);
                return;
            }
        }
        entry.Enclosures.Add(new Enclosure(url, cleanType, size));
    }

    public static void AddLink(List<FeedLink> links, FeedLink link)
    {
        foreach (var existing in links)
        {
            if (existing.Rel == link.Rel && existing.Href == link.Href)
            {
                return;
            }
        }
        links.Add(link);
    }

    /// <summary>Normalizes a finished entry and adds it to the feed.</summary>
    public void FinishEntry(EntryDraft draft)
    {
        var entry = draft.Entry;
        if (draft.OriginalLink is not null)
        {
            entry.Link = draft.OriginalLink;
        }
        entry.Link ??= AlternateLink(entry.Links) ?? draft.PermalinkGuid;
        entry.Title ??= draft.DcTitle ?? draft.MediaTitle;

        var summary = draft.Summary ?? (draft.Content is null ? draft.FallbackSummary : null);
        entry.SummaryHtml = summary is { } s ? Html(s, entry.Link) : null;
        entry.ContentHtml = draft.Content is { } c ? Html(c, entry.Link) : null;

        if (entry.Image is null)
        {
            foreach (var enclosure in entry.Enclosures)
            {
                if (enclosure.Type?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
                {
                    entry.Image = enclosure.Url;
                    break;
                }
            }
        }
        if (options.OnEntry is { } onEntry)
        {
            try
            {
                onEntry(entry);
            }
            catch (Exception ex)
            {
                throw new EntryCallbackException(ex);
            }
        }
        else
        {
            Feed.Entries.Add(entry);
        }
    }

    /// <summary>The first alternate link, preferring an HTML one.</summary>
    public static string? AlternateLink(List<FeedLink> links)
    {
        string? first = null;
        foreach (var link in links)
        {
            if (link.Rel != "alternate")
            {
                continue;
            }
            if (link.Type is null || link.Type.Contains("html", StringComparison.OrdinalIgnoreCase))
            {
                return link.Href;
            }
            first ??= link.Href;
        }
        return first;
    }

    private string? Html(RawHtml raw, string? entryLink)
    {
        if (string.IsNullOrWhiteSpace(raw.Html))
        {
            return null;
        }
        if (!options.Sanitize)
        {
            return raw.Html;
        }
        // Relative URLs in entry HTML: the xml:base in scope, else the entry's own page, else the document.
        var baseUri = raw.ExplicitBase ?? UrlResolver.ParseBase(entryLink) ?? DocumentBase;
        var sanitized = ContentSanitizer.Sanitize(raw.Html, baseUri);
        return string.IsNullOrWhiteSpace(sanitized) ? null : sanitized;
    }

    /// <summary>True when text holds an HTML tag or an entity reference (after XML decoding).</summary>
    private static bool LooksLikeMarkup(string text)
    {
        var span = text.AsSpan();
        var at = span.IndexOfAny('<', '&');
        while (at >= 0 && at < span.Length - 1)
        {
            var next = span[at + 1];
            if (span[at] == '&' ? (next == '#' || char.IsAsciiLetter(next)) && span[at..].IndexOf(';') is > 1 and < 12
                                 : char.IsAsciiLetter(next) || next == '/' || next == '!')
            {
                return true;
            }
            var rest = span[(at + 1)..].IndexOfAny('<', '&');
            at = rest < 0 ? -1 : at + 1 + rest;
        }
        return false;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>Carries an exception thrown by <see cref="FeedParseOptions.OnEntry"/> out of the parser untouched.</summary>
internal sealed class EntryCallbackException(Exception inner) : Exception(inner.Message, inner);
