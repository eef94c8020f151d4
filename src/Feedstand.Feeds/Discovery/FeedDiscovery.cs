using System.Collections.Frozen;
using System.Globalization;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Feedstand.Feeds.Discovery;

/// <summary>A feed announced by an HTML page.</summary>
/// <param name="Url">Absolute http(s) URL of the feed.</param>
/// <param name="Title">The link's title attribute, if any.</param>
/// <param name="Type">The announced media type without parameters, lower-case; null for rel="feed" without a type.</param>
public sealed record DiscoveredFeed(string Url, string? Title, string? Type);

/// <summary>Finds the feeds and icons an HTML page links to, and tells a page from a feed.</summary>
public static class FeedDiscovery
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions(), BrowsingContext.New(Configuration.Default));

    private static readonly FrozenSet<string> FeedTypes = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
        "application/rdf+xml", "application/rss", "application/x.atom+xml", "application/x-atom+xml",
        "application/x-rss+xml", "application/xml", "text/xml", "text/rss+xml", "text/atom+xml");

    /// <summary>Paths worth trying on a site that announces no feed, most common first.</summary>
    public static IReadOnlyList<string> CommonFeedPaths { get; } =
    [
        "/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml", "/feed.json", "/rss", "/feed/",
        "/atom", "/index.rss", "/blog/feed", "/blog/rss.xml", "/blog/atom.xml", "/blog/index.xml",
        "/feeds/posts/default", "/?feed=rss2", "/?format=rss", "/.rss",
    ];

    /// <summary>
    /// Feeds announced by <c>&lt;link rel="alternate"&gt;</c> with a feed media type, or by
    /// <c>rel="feed"</c>; resolved against <c>&lt;base href&gt;</c>, then <paramref name="pageUrl"/>;
    /// http(s) only (<c>feed:</c> URLs are unwrapped); deduplicated, in document order.
    /// </summary>
    public static IReadOnlyList<DiscoveredFeed> FindFeeds(string html, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(pageUrl);
        using var document = Parser.ParseDocument(html);
        var baseUri = BaseOf(document, pageUrl);
        var feeds = new List<DiscoveredFeed>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in document.QuerySelectorAll("link[rel][href]"))
        {
            var rel = link.GetAttribute("rel")!;
            var type = MediaType(link.GetAttribute("type"));
            var isFeed = HasToken(rel, "feed")
                || (HasToken(rel, "alternate") && type is not null && FeedTypes.Contains(type));
            if (!isFeed || HasToken(rel, "stylesheet"))
            {
                continue;
            }

            var url = Resolve(baseUri, link.GetAttribute("href"));
            // WordPress announces its REST API as application/json alternates.
            if (url is null || (type == "application/json" && url.Contains("/wp-json/", StringComparison.Ordinal)))
            {
                continue;
            }

            if (seen.Add(url))
            {
                var title = link.GetAttribute("title")?.Trim();
                feeds.Add(new DiscoveredFeed(url, string.IsNullOrEmpty(title) ? null : title, type));
            }
        }

        return feeds;
    }

    /// <summary>
    /// Icons the page declares (<c>icon</c>, <c>shortcut icon</c>, <c>apple-touch-icon</c>),
    /// absolute, best first: the largest <c>sizes</c>, scalable (<c>any</c> or SVG) counted as large,
    /// an undeclared size as 180 for touch icons and 32 otherwise; ties keep document order. Callers
    /// fall back to <c>/favicon.ico</c> themselves when the list is empty.
    /// </summary>
    public static IReadOnlyList<string> FindIcons(string html, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(pageUrl);
        using var document = Parser.ParseDocument(html);
        var baseUri = BaseOf(document, pageUrl);
        var icons = new List<(string Url, int Size, int Order)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in document.QuerySelectorAll("link[rel][href]"))
        {
            var rel = link.GetAttribute("rel")!;
            var isTouch = HasToken(rel, "apple-touch-icon") || HasToken(rel, "apple-touch-icon-precomposed");
            if (!isTouch && !HasToken(rel, "icon"))
            {
                continue;
            }

            var url = Resolve(baseUri, link.GetAttribute("href"));
            if (url is null || !seen.Add(url))
            {
                continue;
            }

            var size = LargestSize(link.GetAttribute("sizes"));
            if (size == 0)
            {
                var isSvg = MediaType(link.GetAttribute("type")) == "image/svg+xml"
                    || url.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);
                size = isSvg ? ScalableSize : isTouch ? 180 : 32;
            }

            icons.Add((url, size, icons.Count));
        }

        icons.Sort(static (a, b) => a.Size != b.Size ? b.Size.CompareTo(a.Size) : a.Order.CompareTo(b.Order));
        var result = new string[icons.Count];
        for (var i = 0; i < icons.Count; i++)
        {
            result[i] = icons[i].Url;
        }

        return result;
    }

    /// <summary>
    /// Whether a body is an HTML page rather than a feed: after a byte order mark, whitespace,
    /// comments and an XML declaration, it starts with <c>&lt;!doctype html</c> or <c>&lt;html</c>
    /// (any case).
    /// </summary>
    public static bool LooksLikeHtml(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        while (true)
        {
            body = body.TrimStart(" \t\r\n\f"u8);
            if (body.StartsWith("<!--"u8))
            {
                var end = body.IndexOf("-->"u8);
                if (end < 0)
                {
                    return false;
                }

                body = body[(end + 3)..];
            }
            else if (body.StartsWith("<?"u8))
            {
                var end = body.IndexOf("?>"u8);
                if (end < 0)
                {
                    return false;
                }

                body = body[(end + 2)..];
            }
            else
            {
                break;
            }
        }

        return StartsWithIgnoreCase(body, "<!doctype html"u8) || StartsWithHtmlTag(body);
    }

    private const int ScalableSize = 1024;

    private static bool StartsWithHtmlTag(ReadOnlySpan<byte> body) =>
        StartsWithIgnoreCase(body, "<html"u8)
        && (body.Length == 5 || body[5] is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'/');

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> body, ReadOnlySpan<byte> prefix)
    {
        if (body.Length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            var b = body[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b = (byte)(b | 0x20);
            }

            if (b != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static Uri BaseOf(IDocument document, Uri pageUrl)
    {
        var baseHref = document.QuerySelector("base[href]")?.GetAttribute("href");
        if (!string.IsNullOrWhiteSpace(baseHref)
            && Uri.TryCreate(pageUrl, baseHref.Trim(), out var baseUri)
            && (baseUri.Scheme == Uri.UriSchemeHttp || baseUri.Scheme == Uri.UriSchemeHttps))
        {
            return baseUri;
        }

        return pageUrl;
    }

    private static string? Resolve(Uri baseUri, string? href)
    {
        if (string.IsNullOrWhiteSpace(href))
        {
            return null;
        }

        var value = href.Trim();
        if (value.StartsWith("feed:", StringComparison.OrdinalIgnoreCase))
        {
            // feed://host/path and feed:https://host/path
            value = value[5..];
            value = value.StartsWith("//", StringComparison.Ordinal) ? "http:" + value : value;
        }

        if (!Uri.TryCreate(baseUri, value, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return url.AbsoluteUri;
    }

    private static string? MediaType(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var semicolon = type.IndexOf(';', StringComparison.Ordinal);
        var value = (semicolon < 0 ? type : type[..semicolon]).Trim();
        return value.Length == 0 ? null : value.ToLowerInvariant();
    }

    private static bool HasToken(string list, string token)
    {
        foreach (var range in list.AsSpan().SplitAny(" \t\r\n\f"))
        {
            if (list.AsSpan()[range].Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The largest dimension in a sizes list ("16x16 32x32"); "any" counts as scalable; 0 if none.</summary>
    private static int LargestSize(string? sizes)
    {
        if (string.IsNullOrWhiteSpace(sizes))
        {
            return 0;
        }

        var largest = 0;
        foreach (var range in sizes.AsSpan().SplitAny(" \t\r\n\f"))
        {
            var entry = sizes.AsSpan()[range];
            if (entry.Equals("any", StringComparison.OrdinalIgnoreCase))
            {
                largest = Math.Max(largest, ScalableSize);
                continue;
            }

            var x = entry.IndexOfAny('x', 'X');
            if (x > 0
                && int.TryParse(entry[..x], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                && int.TryParse(entry[(x + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            {
                largest = Math.Max(largest, Math.Max(width, height));
            }
        }

        return largest;
    }
}
