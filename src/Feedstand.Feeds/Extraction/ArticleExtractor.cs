using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Feedstand.Feeds.Sanitizing;
using SmartReader;

namespace Feedstand.Feeds.Extraction;

/// <summary>
/// The article in a web page: HTML and its address in, title, byline, date and the body out.
/// An admin's CSS selector wins when it matches; otherwise the page's furniture (share bars,
/// related posts, newsletter boxes, comment counts) is removed and SmartReader (a port of
/// Mozilla's Readability) picks the body. The body goes through the feed sanitizer, so it is
/// as safe as feed content, with absolute URLs. Pure: no network, no clock.
/// </summary>
public static class ArticleExtractor
{
    private static readonly HtmlParser Parser = new(
        new HtmlParserOptions { IsScripting = false },
        BrowsingContext.New(Configuration.Default));

    private static readonly HtmlParser FragmentParser = new(
        new HtmlParserOptions { IsScripting = true },
        BrowsingContext.New(Configuration.Default));

    public static ExtractedArticle Extract(ReadOnlySpan<byte> page, Uri pageUrl, ExtractionOptions? options = null) =>
        Extract(PageDecoding.Decode(page, options?.ContentType), pageUrl, options);

    public static ExtractedArticle Extract(string page, Uri pageUrl, ExtractionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(pageUrl);
        using var document = Parser.ParseDocument(page);
        var metadata = PageMetadata.Read(document);

        string? bodyHtml = null;
        if (options?.CssSelector is { Length: > 0 } selector)
        {
            bodyHtml = SelectBody(document, selector);
        }

        string? title = metadata.Title;
        string? byline = metadata.Byline;
        if (bodyHtml is null)
        {
            Furniture.RemoveFrom(document);
            using var reader = new Reader(pageUrl.AbsoluteUri, document) { Debug = false };
            reader.AddCustomOperationEnd(Boilerplate.RemoveFrom);
            var article = reader.GetArticle();
            bodyHtml = article.Content ?? string.Empty;
            title ??= NullIfBlank(article.Title);
            byline ??= NullIfBlank(article.Byline) ?? NullIfBlank(article.Author);
        }

        var sanitized = ContentSanitizer.Sanitize(bodyHtml, pageUrl);
        using var fragment = FragmentParser.ParseDocument(string.Concat("<!doctype html><html><body>", sanitized));
        var text = fragment.Body is { } body ? ArticleText.Of(body) : string.Empty;
        return new ExtractedArticle(pageUrl.AbsoluteUri, title, byline, metadata.Published, sanitized, text);
    }

    /// <summary>True when <paramref name="selector"/> is a CSS selector the extractor can use.</summary>
    public static bool IsValidSelector(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        using var empty = Parser.ParseDocument(string.Empty);
        try
        {
            empty.QuerySelector(selector);
            return true;
        }
        catch (DomException)
        {
            return false;
        }
    }

    /// <summary>The admin's selector: every match, in document order; null when it matches nothing or is invalid.</summary>
    private static string? SelectBody(IHtmlDocument document, string selector)
    {
        IHtmlCollection<IElement> matches;
        try
        {
            matches = document.QuerySelectorAll(selector);
        }
        catch (DomException)
        {
            return null;
        }
        if (matches.Length == 0)
        {
            return null;
        }
        var parts = new List<string>(matches.Length);
        foreach (var match in matches)
        {
            // A match inside another match is already in it.
            if (!HasMatchedAncestor(match, matches))
            {
                Furniture.RemoveFrom(match);
                parts.Add(match.OuterHtml);
            }
        }
        return string.Concat(parts);
    }

    private static bool HasMatchedAncestor(IElement element, IHtmlCollection<IElement> matches)
    {
        for (var parent = element.ParentElement; parent is not null; parent = parent.ParentElement)
        {
            foreach (var match in matches)
            {
                if (ReferenceEquals(match, parent))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
