using System.Text;
using System.Xml;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Opml;

/// <summary>
/// Reads OPML 1.0 and 2.0 subscription lists, and plain lists of feed URLs (one per line,
/// blank lines and <c>#</c> comments ignored, anything not an absolute http(s) URL skipped).
/// </summary>
/// <remarks>
/// A feed is an outline with <c>xmlUrl</c> (any case), or <c>url</c> on <c>type="rss"</c>/<c>"atom"</c>,
/// at any depth. Its categories are the titles of the outlines enclosing it, then each entry of its
/// <c>category</c> attribute (comma-separated; of a path like <c>/tech/web</c> only the last segment,
/// <c>web</c>, is kept), all lower-cased, trimmed and de-duplicated. A feed listed twice is kept once
/// with the categories of both places. XML with undeclared entities (<c>&amp;nbsp;</c>) or bare
/// ampersands is repaired and read again; no DTD is processed and no entity is expanded.
/// </remarks>
public static class OpmlReader
{
    private const int MaxDocumentChars = 256 << 20;

    /// <exception cref="OpmlException">The bytes are neither OPML nor a list of feed URLs.</exception>
    public static OpmlDocument Read(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        return LooksLikeXml(span) ? ReadXml(bytes) : ReadUrlList(span);
    }

    private static bool LooksLikeXml(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        else if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            return true;
        }

        bytes = bytes.TrimStart(" \t\r\n"u8);
        return !bytes.IsEmpty && bytes[0] == (byte)'<';
    }

    private static OpmlDocument ReadXml(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings());
            return ReadOutlines(reader);
        }
        catch (XmlException ex)
        {
            return LenientOpmlReader.Read(Decode(bytes.Span), ex);
        }
    }

    private static XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = MaxDocumentChars,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    private static OpmlDocument ReadOutlines(XmlReader reader)
    {
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            throw new OpmlException("not an OPML document: no root element");
        }

        if (!reader.LocalName.Equals("opml", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpmlException($"not an OPML document: the root element is <{reader.LocalName}>");
        }

        var feeds = new FeedList();
        var folders = new List<string?>();
        string? title = null;
        StringBuilder? titleText = null;
        var inHead = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var name = reader.LocalName;
                    if (name == "outline")
                    {
                        var isEmpty = reader.IsEmptyElement;
                        var folder = ReadOutline(reader, folders, feeds);
                        if (!isEmpty)
                        {
                            folders.Add(folder);
                        }
                    }
                    else if (name == "head")
                    {
                        inHead = !reader.IsEmptyElement;
                    }
                    else if (name == "title" && inHead && title is null && !reader.IsEmptyElement)
                    {
                        titleText = new StringBuilder();
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    titleText?.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    if (reader.LocalName == "outline" && folders.Count > 0)
                    {
                        folders.RemoveAt(folders.Count - 1);
                    }
                    else if (reader.LocalName == "title" && titleText is not null)
                    {
                        title = PlainText.Collapse(titleText.ToString());
                        titleText = null;
                    }
                    else if (reader.LocalName == "head")
                    {
                        inHead = false;
                    }

                    break;
            }
        }

        return new OpmlDocument(title, feeds.ToList(), feeds.Repeats);
    }

    private static string? ReadOutline(XmlReader reader, List<string?> folders, FeedList feeds)
    {
        var outline = default(OutlineAttributes);
        while (reader.MoveToNextAttribute())
        {
            outline.Set(reader.LocalName, reader.Value);
        }

        reader.MoveToElement();
        return AddOutline(in outline, folders, feeds);
    }

    /// <summary>Adds the outline if it is a feed; returns the category its children get, if it is a folder.</summary>
    internal static string? AddOutline(in OutlineAttributes outline, List<string?> folders, FeedList feeds)
    {
        var name = PlainText.Collapse(outline.Text) ?? PlainText.Collapse(outline.Title);
        var type = outline.Type?.Trim();
        var isFeedType = type is not null
            && (type.Equals("rss", StringComparison.OrdinalIgnoreCase) || type.Equals("atom", StringComparison.OrdinalIgnoreCase));
        var feedUrlText = string.IsNullOrWhiteSpace(outline.XmlUrl) ? (isFeedType ? outline.Url : null) : outline.XmlUrl;
        if (string.IsNullOrWhiteSpace(feedUrlText))
        {
            return name?.ToLowerInvariant();
        }

        var feedUrl = FeedUrl(feedUrlText);
        if (feedUrl is null)
        {
            return null;
        }

        var categories = new List<string>();
        foreach (var folder in folders)
        {
            AddCategory(categories, folder);
        }

        AddCategoryAttribute(categories, outline.Category);
        feeds.Add(new OpmlOutline(
            feedUrl,
            FeedUrl(outline.HtmlUrl),
            name == feedUrl ? null : name,
            PlainText.Collapse(outline.Description),
            PlainText.Collapse(outline.Language),
            categories));
        return null;
    }

    /// <summary>"a, /b/c ,d" gives a, c, d: comma-separated entries, the last segment of a path.</summary>
    private static void AddCategoryAttribute(List<string> categories, string? attribute)
    {
        if (string.IsNullOrWhiteSpace(attribute))
        {
            return;
        }

        foreach (var entry in attribute.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var segments = entry.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length > 0)
            {
                AddCategory(categories, segments[^1]);
            }
        }
    }

    private static void AddCategory(List<string> categories, string? category)
    {
        var value = PlainText.Collapse(category)?.ToLowerInvariant();
        if (value is not null && !categories.Contains(value))
        {
            categories.Add(value);
        }
    }

    /// <summary>The trimmed URL if it is absolute http(s); <c>feed:</c> URLs are unwrapped.</summary>
    private static string? FeedUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var url = value.Trim();
        if (url.StartsWith("feed:", StringComparison.OrdinalIgnoreCase))
        {
            url = url[5..];
            url = url.StartsWith("//", StringComparison.Ordinal) ? "http:" + url : url;
        }

        return url.AsSpan().ContainsAny(" \t\r\n")
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? null
            : url;
    }

    private static OpmlDocument ReadUrlList(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        var feeds = new FeedList();
        var text = Encoding.UTF8.GetString(bytes);
        foreach (var range in text.AsSpan().SplitAny('\n', '\r'))
        {
            var line = text.AsSpan()[range].Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var url = FeedUrl(line.ToString());
            if (url is not null)
            {
                feeds.Add(new OpmlOutline(url, null, null, null, null, []));
            }
        }

        if (feeds.Count == 0)
        {
            throw new OpmlException("not an OPML document: no XML and no feed URLs");
        }

        return new OpmlDocument(null, feeds.ToList(), feeds.Repeats);
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var reader = new StreamReader(stream, DeclaredEncoding(bytes), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The encoding named in the XML declaration when .NET knows it without extra providers; else UTF-8.</summary>
    private static Encoding DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 200)]);
        var at = head.IndexOf("encoding=", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || at + 10 >= head.Length)
        {
            return Encoding.UTF8;
        }

        var quote = head[at + 9];
        var end = head.IndexOf(quote, at + 10);
        var name = end < 0 ? string.Empty : head[(at + 10)..end].Trim().ToLowerInvariant();
        return name is "iso-8859-1" or "latin1" or "latin-1" or "windows-1252" ? Encoding.Latin1 : Encoding.UTF8;
    }

    /// <summary>The attributes of an outline that matter here, names matched in any case.</summary>
    internal struct OutlineAttributes
    {
        public string? XmlUrl, Url, Type, Text, Title, HtmlUrl, Description, Language, Category;

        public void Set(string name, string value)
        {
            switch (name.ToLowerInvariant())
            {
                case "xmlurl": XmlUrl = value; break;
                case "url": Url = value; break;
                case "type": Type = value; break;
                case "text": Text = value; break;
                case "title": Title = value; break;
                case "htmlurl": HtmlUrl = value; break;
                case "description": Description = value; break;
                case "language": Language = value; break;
                case "category": Category = value; break;
            }
        }
    }

    /// <summary>Feeds in first-seen order, merging the categories of a URL listed twice.</summary>
    internal sealed class FeedList
    {
        private readonly List<OpmlOutline> _feeds = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public int Count => _feeds.Count;

        /// <summary>Outlines merged into an earlier one with the same URL.</summary>
        public int Repeats { get; private set; }

        public void Add(OpmlOutline feed)
        {
            if (!_index.TryGetValue(feed.XmlUrl, out var at))
            {
                _index[feed.XmlUrl] = _feeds.Count;
                _feeds.Add(feed);
                return;
            }

            Repeats++;
            var known = _feeds[at];
            var categories = new List<string>(known.Categories);
            foreach (var category in feed.Categories)
            {
                if (!categories.Contains(category))
                {
                    categories.Add(category);
                }
            }

            _feeds[at] = known with
            {
                Categories = categories,
                HtmlUrl = known.HtmlUrl ?? feed.HtmlUrl,
                Title = known.Title ?? feed.Title,
                Description = known.Description ?? feed.Description,
                Language = known.Language ?? feed.Language,
            };
        }

        public List<OpmlOutline> ToList() => _feeds;
    }
}
