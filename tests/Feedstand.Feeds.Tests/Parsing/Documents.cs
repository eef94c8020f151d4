using System.Globalization;
using System.Text;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Tests.Parsing;

/// <summary>Parses inline documents and reads one field of the result by its contract path.</summary>
internal static class Documents
{
    static Documents() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static ParsedFeed Parse(string document, string? baseUrl = null, string? contentType = null) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(document), new FeedParseOptions { BaseUrl = baseUrl, ContentType = contentType });

    public static ParsedFeed Parse(byte[] document, string? contentType = null) =>
        FeedParser.Parse(document, new FeedParseOptions { ContentType = contentType });

    public static byte[] Bytes(string text, string encoding) => Encoding.GetEncoding(encoding).GetBytes(text);

    /// <summary>
    /// One field by its path in the contract ("feed.title", "entry.enclosures", "entry[1].title").
    /// Lists are written one item per "; ", each item's fields joined with "|" (null as "-").
    /// </summary>
    public static string? Field(ParsedFeed feed, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var owner = dot < 0 ? path : path[..dot];
        var name = dot < 0 ? string.Empty : path[(dot + 1)..];
        if (owner == "feed")
        {
            return FeedField(feed, name);
        }
        if (owner.StartsWith("entry", StringComparison.Ordinal))
        {
            var index = owner.Length > 5 ? int.Parse(owner[6..^1], CultureInfo.InvariantCulture) : 0;
            return index < feed.Entries.Count ? EntryField(feed.Entries[index], name) : "(no entry " + index + ")";
        }
        return path switch
        {
            "format" => feed.Format.Label(),
            "encoding" => feed.Encoding,
            "wellformed" => feed.IsWellFormed ? "true" : "false",
            "entries" => feed.Entries.Count.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException("unknown field " + path, nameof(path)),
        };
    }

    private static string? FeedField(ParsedFeed feed, string name) => name switch
    {
        "title" => feed.Title,
        "subtitle" => feed.Subtitle,
        "link" => feed.Link,
        "links" => Links(feed.Links),
        "self" => feed.Self,
        "id" => feed.Id,
        "language" => feed.Language,
        "updated" => Date(feed.Updated),
        "authors" => People(feed.Authors),
        "categories" => Categories(feed.Categories),
        "terms" => string.Join("; ", feed.Categories.Select(c => c.Term)),
        "generator" => feed.Generator,
        "rights" => feed.Rights,
        "icon" => feed.Icon,
        "image" => feed.Image,
        "hubs" => string.Join("; ", feed.Hubs),
        "ttl" => feed.Ttl?.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException("unknown feed field " + name, nameof(name)),
    };

    private static string? EntryField(ParsedEntry entry, string name) => name switch
    {
        "id" => entry.Id,
        "title" => entry.Title,
        "link" => entry.Link,
        "links" => Links(entry.Links),
        "published" => Date(entry.Published),
        "updated" => Date(entry.Updated),
        "authors" => People(entry.Authors),
        "categories" => Categories(entry.Categories),
        "terms" => string.Join("; ", entry.Categories.Select(c => c.Term)),
        "summary_html" => entry.SummaryHtml,
        "content_html" => entry.ContentHtml,
        "enclosures" => string.Join("; ", entry.Enclosures.Select(e => Join(e.Url, e.Type, e.Length?.ToString(CultureInfo.InvariantCulture)))),
        "comments" => entry.Comments,
        "image" => entry.Image,
        _ => throw new ArgumentException("unknown entry field " + name, nameof(name)),
    };

    private static string? Date(DateTimeOffset? date) => date is { } value ? FeedJson.FormatDate(value) : null;

    private static string Links(List<FeedLink> links) =>
        string.Join("; ", links.Select(l => Join(l.Rel, l.Href, l.Type)));

    private static string People(List<Person> people) =>
        string.Join("; ", people.Select(p => Join(p.Name, p.Email, p.Uri)));

    private static string Categories(List<Category> categories) =>
        string.Join("; ", categories.Select(c => Join(c.Term, c.Scheme, c.Label)));

    private static string Join(params string?[] parts) => string.Join('|', parts.Select(p => p ?? "-"));
}
