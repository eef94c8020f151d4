using System.Text.Json;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>
/// Writes a feed as JSON Feed 1.1, streaming with <see cref="Utf8JsonWriter"/>, valid against the
/// JSON Feed 1.1 schema: absolute URIs, RFC 3339 dates, the same ids as the XML writers, the RFC 5005
/// <c>next</c> page as <c>next_url</c>.
/// </summary>
public static class JsonFeedWriter
{
    public const string ContentType = "application/feed+json; charset=utf-8";

    public static void Write(ParsedFeed feed, Stream output) => Write(feed, output, FeedWriteOptions.Default);

    public static void Write(ParsedFeed feed, Stream output, FeedWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = FeedJson.Encoder });
        writer.WriteStartObject();
        writer.WriteString("version", "https://jsonfeed.org/version/1.1");
        writer.WriteString("title", XmlText.FeedTitle(feed));
        Optional(writer, "home_page_url", UriText.Full(feed.Link));
        Optional(writer, "feed_url", UriText.Full(feed.Self));
        Optional(writer, "description", feed.Subtitle);
        Optional(writer, "next_url", NextUrl(options));
        Optional(writer, "icon", UriText.Full(feed.Image) ?? UriText.Full(feed.Icon));
        Optional(writer, "favicon", UriText.Full(feed.Icon));
        Optional(writer, "language", XmlText.Language(feed.Language));
        Authors(writer, feed.Authors);
        Hubs(writer, feed.Hubs);
        writer.WriteStartArray("items");
        var ids = StableIds.ForEntries(feed);
        for (var i = 0; i < feed.Entries.Count; i++)
        {
            var entry = feed.Entries[i];
            writer.WriteStartObject();
            writer.WriteString("id", ids[i]);
            Optional(writer, "url", UriText.Full(entry.Link));
            Optional(writer, "title", string.IsNullOrWhiteSpace(entry.Title) ? null : entry.Title.Trim());
            writer.WriteString("content_html", string.IsNullOrWhiteSpace(entry.ContentHtml) ? entry.SummaryHtml ?? "" : entry.ContentHtml);
            if (!string.IsNullOrWhiteSpace(entry.ContentHtml))
            {
                Optional(writer, "summary", Sanitizing.PlainText.FromHtml(entry.SummaryHtml));
            }
            Optional(writer, "image", UriText.Full(entry.Image));
            if (entry.Published is { } published)
            {
                writer.WriteString("date_published", FeedJson.FormatDate(published));
            }
            if (entry.Updated is { } updated)
            {
                writer.WriteString("date_modified", FeedJson.FormatDate(updated));
            }
            Authors(writer, entry.Authors);
            if (entry.Categories.Count > 0)
            {
                writer.WriteStartArray("tags");
                foreach (var category in entry.Categories)
                {
                    writer.WriteStringValue(category.Label ?? category.Term);
                }
                writer.WriteEndArray();
            }
            var attachments = false;
            foreach (var enclosure in entry.Enclosures)
            {
                if (UriText.Full(enclosure.Url) is not { } url)
                {
                    continue;
                }
                if (!attachments)
                {
                    writer.WriteStartArray("attachments");
                    attachments = true;
                }
                writer.WriteStartObject();
                writer.WriteString("url", url);
                writer.WriteString("mime_type", XmlText.Mime(enclosure.Type) ?? "application/octet-stream");
                if (enclosure.Length is >= 0 and { } length)
                {
                    writer.WriteNumber("size_in_bytes", length);
                }
                writer.WriteEndObject();
            }
            if (attachments)
            {
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>JSON Feed 1.1 <c>hubs</c>: the WebSub hubs that push this feed.</summary>
    private static void Hubs(Utf8JsonWriter writer, List<string> hubs)
    {
        var started = false;
        foreach (var hub in hubs)
        {
            if (UriText.Full(hub) is not { } url)
            {
                continue;
            }
            if (!started)
            {
                writer.WriteStartArray("hubs");
                started = true;
            }
            writer.WriteStartObject();
            writer.WriteString("type", "WebSub");
            writer.WriteString("url", url);
            writer.WriteEndObject();
        }
        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private static string? NextUrl(FeedWriteOptions options)
    {
        string? next = null;
        foreach (var link in options.PagingLinks)
        {
            if (link.Rel == "next" || (link.Rel == "prev-archive" && next is null))
            {
                next = UriText.Full(link.Href);
            }
        }
        return next;
    }

    private static void Authors(Utf8JsonWriter writer, List<Person> people)
    {
        var started = false;
        foreach (var person in people)
        {
            var name = string.IsNullOrWhiteSpace(person.Name) ? person.Email : person.Name;
            var url = UriText.Full(person.Uri);
            if (string.IsNullOrWhiteSpace(name) && url is null)
            {
                continue; // the schema wants at least one property
            }
            if (!started)
            {
                writer.WriteStartArray("authors");
                started = true;
            }
            writer.WriteStartObject();
            Optional(writer, "name", name?.Trim());
            Optional(writer, "url", url);
            writer.WriteEndObject();
        }
        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
