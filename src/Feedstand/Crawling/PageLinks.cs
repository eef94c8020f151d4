using AngleSharp.Html.Parser;

namespace Feedstand.Crawling;

/// <summary>
/// Stand-in for <c>Feedstand.Feeds.Discovery.FeedDiscovery</c> until the sanitize branch lands:
/// feed and icon links of an HTML page, the common feed paths, and an HTML sniff.
/// </summary>
internal static class PageLinks
{
    public static IReadOnlyList<string> CommonFeedPaths { get; } =
        ["/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml", "/feed.json", "/rss", "/atom", "/feed/", "/blog/feed", "/blog/rss.xml", "/blog/index.xml"];

    private static readonly HashSet<string> FeedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json", "application/rdf+xml", "application/xml", "text/xml",
    };

    public static IReadOnlyList<string> FindFeeds(string html, Uri pageUrl)
    {
        var document = new HtmlParser().ParseDocument(html);
        var found = new List<string>();
        foreach (var link in document.QuerySelectorAll("link[rel~=alternate][href], link[rel~=feed][href]"))
        {
            var type = link.GetAttribute("type")?.Split(';')[0].Trim();
            if (type is not null && !FeedTypes.Contains(type))
            {
                continue;
            }
            if (Uri.TryCreate(pageUrl, link.GetAttribute("href"), out var url) && url.Scheme is "http" or "https" && !found.Contains(url.AbsoluteUri))
            {
                found.Add(url.AbsoluteUri);
            }
        }
        return found;
    }

    public static IReadOnlyList<string> FindIcons(string html, Uri pageUrl)
    {
        var document = new HtmlParser().ParseDocument(html);
        var found = new List<string>();
        foreach (var selector in new[] { "link[rel~=apple-touch-icon][href]", "link[rel~=icon][href]" })
        {
            foreach (var link in document.QuerySelectorAll(selector))
            {
                if (Uri.TryCreate(pageUrl, link.GetAttribute("href"), out var url) && url.Scheme is "http" or "https" && !found.Contains(url.AbsoluteUri))
                {
                    found.Add(url.AbsoluteUri);
                }
            }
        }
        return found;
    }

    public static bool LooksLikeHtml(ReadOnlySpan<byte> body)
    {
        body = body.Length > 1024 ? body[..1024] : body;
        if (body.StartsWith("\xEF\xBB\xBF"u8))
        {
            body = body[3..];
        }
        var start = body.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return false;
        }
        body = body[start..];
        return StartsWithIgnoreCase(body, "<!doctype html"u8) || StartsWithIgnoreCase(body, "<html"u8)
            || ContainsIgnoreCase(body, "<html"u8) && !ContainsIgnoreCase(body, "<rss"u8) && !ContainsIgnoreCase(body, "<feed"u8) && !ContainsIgnoreCase(body, "<rdf:rdf"u8);
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> body, ReadOnlySpan<byte> prefix) =>
        body.Length >= prefix.Length && System.Text.Ascii.EqualsIgnoreCase(body[..prefix.Length], prefix);

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> body, ReadOnlySpan<byte> needle)
    {
        for (var i = body.IndexOf((byte)'<'); i >= 0 && i + needle.Length <= body.Length; )
        {
            if (System.Text.Ascii.EqualsIgnoreCase(body.Slice(i, needle.Length), needle))
            {
                return true;
            }
            var next = body[(i + 1)..].IndexOf((byte)'<');
            i = next < 0 ? -1 : i + 1 + next;
        }
        return false;
    }
}
