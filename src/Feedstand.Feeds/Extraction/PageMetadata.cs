using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Feedstand.Feeds.Extraction;

/// <summary>Title, byline and publication date as the page declares them (Open Graph, meta, JSON-LD).</summary>
internal sealed record PageMetadata(string? Title, string? Byline, DateTimeOffset? Published)
{
    public static PageMetadata Read(IHtmlDocument document)
    {
        string? title = Meta(document, "og:title") ?? Meta(document, "twitter:title");
        string? byline = Meta(document, "author") ?? Meta(document, "article:author") ?? Meta(document, "byl");
        var published = Date(Meta(document, "article:published_time") ?? Meta(document, "datePublished")
            ?? Meta(document, "pubdate") ?? Meta(document, "date") ?? Meta(document, "dc.date"));

        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            if (title is not null && byline is not null && published is not null)
            {
                break;
            }
            ReadJsonLd(script.TextContent, ref title, ref byline, ref published);
        }

        if (published is null && document.QuerySelector("article time[datetime], time[datetime]") is { } time)
        {
            published = Date(time.GetAttribute("datetime"));
        }
        title ??= Blank(document.Title);
        if (byline is not null && Uri.TryCreate(byline, UriKind.Absolute, out _))
        {
            byline = null;
        }
        return new PageMetadata(title, byline, published);
    }

    private static string? Meta(IHtmlDocument document, string name)
    {
        foreach (var meta in document.Head?.Children ?? (IEnumerable<IElement>)[])
        {
            if (meta.LocalName != "meta")
            {
                continue;
            }
            var key = meta.GetAttribute("property") ?? meta.GetAttribute("name") ?? meta.GetAttribute("itemprop");
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && Blank(meta.GetAttribute("content")) is { } content)
            {
                return content;
            }
        }
        return null;
    }

    private static void ReadJsonLd(string json, ref string? title, ref string? byline, ref DateTimeOffset? published)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
            Visit(parsed.RootElement, ref title, ref byline, ref published, 0);
        }
        catch (JsonException)
        {
            // A page's broken JSON-LD says nothing; the other sources stand.
        }
    }

    private static void Visit(JsonElement element, ref string? title, ref string? byline, ref DateTimeOffset? published, int depth)
    {
        if (depth > 4)
        {
            return;
        }
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Visit(item, ref title, ref byline, ref published, depth + 1);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (element.TryGetProperty("@graph", out var graph))
        {
            Visit(graph, ref title, ref byline, ref published, depth + 1);
        }
        if (!element.TryGetProperty("@type", out var type) || !IsArticleType(type))
        {
            return;
        }
        if (title is null && element.TryGetProperty("headline", out var headline) && headline.ValueKind == JsonValueKind.String)
        {
            title = Blank(headline.GetString());
        }
        if (published is null && element.TryGetProperty("datePublished", out var date) && date.ValueKind == JsonValueKind.String)
        {
            published = Date(date.GetString());
        }
        if (byline is null && element.TryGetProperty("author", out var author))
        {
            byline = AuthorName(author);
        }
    }

    private static bool IsArticleType(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (IsArticleType(item))
                {
                    return true;
                }
            }
            return false;
        }
        return type.ValueKind == JsonValueKind.String
            && type.GetString() is { } name
            && (name.EndsWith("Article", StringComparison.Ordinal) || name is "BlogPosting" or "Report" or "WebPage");
    }

    private static string? AuthorName(JsonElement author)
    {
        switch (author.ValueKind)
        {
            case JsonValueKind.String:
                return Blank(author.GetString());
            case JsonValueKind.Object when author.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                return Blank(name.GetString());
            case JsonValueKind.Array:
                var names = new List<string>();
                foreach (var item in author.EnumerateArray())
                {
                    if (AuthorName(item) is { } one)
                    {
                        names.Add(one);
                    }
                }
                return names.Count == 0 ? null : string.Join(", ", names);
            default:
                return null;
        }
    }

    private static DateTimeOffset? Date(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            ? date.ToUniversalTime()
            : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
