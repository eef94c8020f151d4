namespace Feedstand.Feeds.Extraction;

/// <summary>
/// An article's body taken from its page: <see cref="ContentHtml"/> is sanitized with the feed
/// sanitizer (absolute URLs, no script), <see cref="Text"/> is the same body as plain text,
/// one paragraph per line.
/// </summary>
public sealed record ExtractedArticle(
    string Url,
    string? Title,
    string? Byline,
    DateTimeOffset? Published,
    string ContentHtml,
    string Text)
{
    /// <summary>Words in <see cref="Text"/>: what summary-only detection compares a teaser against.</summary>
    public int WordCount => ArticleText.CountWords(Text);
}

/// <summary>What the caller knows of a page beyond its bytes.</summary>
public sealed record ExtractionOptions
{
    /// <summary>An admin's CSS selector for the article body; when it matches, it wins over the heuristics.</summary>
    public string? CssSelector { get; init; }

    /// <summary>The HTTP Content-Type, for its charset.</summary>
    public string? ContentType { get; init; }
}
